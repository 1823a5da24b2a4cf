"""Sicheres YAML: keine Objekt-Tags, keine doppelten Schlüssel, Fehler mit Zeile und Spalte."""

import datetime as dt

import pytest

from engine.fehler import EingabeFehler
from engine.yamlquelle import lese_datei, lese_text


def fehler_von(text: str) -> EingabeFehler:
    with pytest.raises(EingabeFehler) as info:
        lese_text(text, "x.yaml")
    return info.value


def test_positionen_je_pfad():
    dok = lese_text("a: 1\nb:\n  - c: 2024-01-31\n", "x.yaml")
    assert dok.daten == {"a": 1, "b": [{"c": dt.date(2024, 1, 31)}]}
    assert dok.positionen[("b", 0, "c")] == (3, 5)
    assert str(dok.fundstelle(("b", 0, "c", "tiefer"))) == "x.yaml:3:5: Feld „b[0].c.tiefer“"


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object/apply:os.system ['echo böse']",
        "a: !!python/name:os.system",
        "a: !eigenes 1",
        "!!set {a, b}",
        "a: !!binary aGFsbG8=",
    ],
)
def test_tags_die_objekte_bauen_werden_abgelehnt(text):
    meldung = fehler_von(text).meldungen[0]
    assert "nicht erlaubt" in meldung.text
    assert meldung.fundstelle.zeile == 1


def test_doppelter_schluessel_mit_zeile():
    meldung = fehler_von("name: A\nland: HE\nname: B\n").meldungen[0]
    assert "doppelt" in meldung.text and meldung.fundstelle.zeile == 3


def test_syntaxfehler_deutsch_mit_position():
    meldung = fehler_von("name: A\n  land: HE\n").meldungen[0]
    assert meldung.text.startswith("Die Datei ist kein gültiges YAML/JSON")
    assert meldung.fundstelle.zeile == 2


def test_merge_schluessel_und_uhrzeiten_abgelehnt():
    assert "Merge" in fehler_von("a: &x {b: 1}\nc:\n  <<: *x\n").meldungen[0].text
    assert "Uhrzeit" in fehler_von("a: 2024-01-01 10:00:00\n").meldungen[0].text


def test_leere_und_fehlende_dateien(tmp_path):
    leer = tmp_path / "leer.yaml"
    leer.write_text("", encoding="utf-8")
    with pytest.raises(EingabeFehler, match="leer"):
        lese_datei(leer)
    with pytest.raises(EingabeFehler, match="existiert nicht"):
        lese_datei(tmp_path / "fehlt.yaml")
    kaputt = tmp_path / "latin1.yaml"
    kaputt.write_bytes("name: M\xfcnchen".encode("latin-1"))
    with pytest.raises(EingabeFehler, match="UTF-8"):
        lese_datei(kaputt)


def test_json_wird_mit_positionen_gelesen():
    dok = lese_text('{\n  "name": "A",\n  "einwohner": 5\n}', "x.json")
    assert dok.daten == {"name": "A", "einwohner": 5}
    assert dok.positionen[("einwohner",)][0] == 3
