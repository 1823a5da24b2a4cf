"""Das committete JSON Schema ist aktuell, jede Regeldatei verweist darauf, und die Regeln erfüllen es."""

from __future__ import annotations

import json

from engine.regeln.basis import regeldateien, standard_regelverzeichnis
from engine.werkzeuge.schema import regelschema

from .conftest import WURZEL

SCHEMA_DATEI = WURZEL / "schema" / "regeldatei.schema.json"


def test_committete_schemakopie_ist_aktuell():
    committet = json.loads(SCHEMA_DATEI.read_text(encoding="utf-8"))
    assert committet == regelschema(), (
        "schema/regeldatei.schema.json ist veraltet: "
        "kommunalpflichten regeln schema > schema/regeldatei.schema.json")


def test_jede_regeldatei_nennt_das_schema_fuer_editoren():
    for datei in regeldateien([standard_regelverzeichnis()]):
        erste = datei.read_text(encoding="utf-8").splitlines()[0]
        assert erste == "# yaml-language-server: $schema=../../schema/regeldatei.schema.json", datei


def test_regeldateien_erfuellen_das_schema():
    import pytest

    jsonschema = pytest.importorskip("jsonschema")
    from engine.yamlquelle import lese_datei

    validator = jsonschema.Draft202012Validator(regelschema())
    for datei in regeldateien([standard_regelverzeichnis()]):
        daten = lese_datei(datei).daten
        daten = json.loads(json.dumps(daten, default=str))  # Datum → Text wie im Editor
        fehler = sorted(validator.iter_errors(daten), key=str)
        assert not fehler, (datei, [f.message for f in fehler[:3]])
