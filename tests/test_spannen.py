"""Auswertung mit Spannen an einer Schwelle: darunter, überdeckt, darüber – und Anteile exakt."""

from __future__ import annotations

import datetime as dt

import pytest

from engine.auswertung.bericht import erstelle_bericht
from engine.begriffe import Status
from engine.kommunen.profil import Kommune, Spanne, Unsicherheit

TAG = dt.date(2025, 6, 1)


def bericht(regelbasis, durable, land="HE", typ="gemeinde", einwohner=20_000, punkt=1_000, von=990, bis=1_010, e=None):
    k = Kommune(name="Spanne", land=land, typ=typ, einwohner=einwohner, auslaendische_einwohner=punkt,
                unsicherheit=Unsicherheit(auslaendische_einwohner=Spanne(von=von, bis=bis),
                                          einwohner=Spanne(von=e[0], bis=e[1]) if e else None, grund="Test"))
    return {x.regel.id: x for x in erstelle_bericht(k, TAG, regelbasis, durable).ergebnisse}


@pytest.mark.parametrize(
    "von, punkt, bis, pflicht, kann",
    [
        (980, 990, 1_000, None, Status.gilt),  # ganz unter der Schwelle (1.000 genügt nicht)
        (990, 1_000, 1_010, Status.unbestimmt, Status.unbestimmt),  # überdeckt „mehr als 1.000“
        (1_001, 1_005, 1_020, Status.gilt, None),  # ganz darüber
        (1_000, 1_000, 1_001, Status.unbestimmt, Status.unbestimmt),  # genau an der Grenze
    ],
)
def test_hessen_spanne_unter_ueber_an_der_schwelle(regelbasis, durable, von, punkt, bis, pflicht, kann):
    e = bericht(regelbasis, durable, punkt=punkt, von=von, bis=bis)
    assert (e["he.hgo.84.auslaenderbeirat"].status if "he.hgo.84.auslaenderbeirat" in e else None) == pflicht
    assert (e["he.hgo.84.auslaenderbeirat_freiwillig"].status
            if "he.hgo.84.auslaenderbeirat_freiwillig" in e else None) == kann


def test_unbestimmt_sagt_schwelle_spanne_und_was_entscheidet(regelbasis, durable):
    e = bericht(regelbasis, durable)["he.hgo.84.auslaenderbeirat"]
    text = " | ".join(e.begruendung)
    assert "mehr als 1.000" in text and "990 bis 1.010" in text
    assert "maßgeblich ist die Zahl der gemeldeten" in text
    frage = next(f for f in e.offen if f.merkmal == "auslaendische_einwohner")
    assert (frage.bedingung, frage.wenn_ja, frage.wenn_nein) == ("mehr als 1.000", "gilt", "gilt_nicht")
    assert frage.option == "--auslaendische-einwohner N"


def test_saarland_anteil_spanne_um_zehn_prozent(regelbasis, durable):
    # 20.000 Einwohner: 10 % = 2.000; Spanne 1.990–2.010 überdeckt die Schwelle, 2.000–2.010 nicht
    ueber = bericht(regelbasis, durable, land="SL", punkt=2_005, von=2_000, bis=2_010)["sl.ksvg.50.integrationsbeirat"]
    assert ueber.status == Status.gilt
    strittig = bericht(regelbasis, durable, land="SL", punkt=2_000, von=1_990, bis=2_010)["sl.ksvg.50.integrationsbeirat"]
    assert strittig.status == Status.unbestimmt


def test_anteil_spanne_ueber_einwohner(regelbasis, durable):
    # 2.000 ausländische Einwohner fest; Einwohner 19.990–20.010: Anteil 9,995 % bis 10,005 % → unbestimmt
    e = bericht(regelbasis, durable, land="SL", einwohner=20_000, punkt=2_000, von=2_000, bis=2_000, e=(19_990, 20_010))
    assert e["sl.ksvg.50.integrationsbeirat"].status == Status.unbestimmt


def test_eigene_zahl_entscheidet(regelbasis, durable):
    from click.testing import CliRunner

    from cli.main import main

    import datetime as dt
    import json

    from engine.kommunen.daten import alle

    tag = dt.date(2025, 6, 1)
    ags = next(d.ags for d in alle() if d.land == "HE" and d.art == "gemeinde" and d.typ == "gemeinde"
               and (k := d.profil(tag)).spanne("auslaendische_einwohner")[0] <= 1000 < k.spanne("auslaendische_einwohner")[1])
    lauf = CliRunner().invoke(main, ["check", "--ags", ags, "--format", "json", "--stichtag", "2025-06-01"])
    assert lauf.exit_code == 0, lauf.output

    daten = json.loads(lauf.output)
    status = {e["regel"]: e["status"] for e in daten["ergebnisse"]}
    assert status.get("he.hgo.84.auslaenderbeirat") == "unbestimmt", status
    lauf = CliRunner().invoke(main, ["check", "--ags", ags, "--auslaendische-einwohner", "1001", "--format", "json",
                                     "--stichtag", "2025-06-01"])
    daten = json.loads(lauf.output)
    status = {e["regel"]: e["status"] for e in daten["ergebnisse"]}
    assert status["he.hgo.84.auslaenderbeirat"] == "gilt"
    assert "eigene Angabe" in daten["kommune"]["quelle"]
