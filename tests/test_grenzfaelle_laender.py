"""Die im Gesetz wichtigen Grenzfälle, ausdrücklich benannt (zusätzlich zu den automatisch erzeugten).

HE: mehr als 1.000; RP: mehr als 1.000, Landkreis mehr als 5.000; NW: mindestens 5.000, mindestens 2.000 nur
auf Antrag von mindestens 200 Wahlberechtigten; SL: mindestens zehn vom Hundert seit Dezember 2023.
"""

from __future__ import annotations

import datetime as dt

import pytest

from engine.auswertung.bericht import erstelle_bericht
from engine.kommunen.profil import Kommune

HEUTE = dt.date(2025, 6, 1)


def ergebnisse(regelbasis, durable, tag=HEUTE, **profil):
    profil.setdefault("name", "Grenzfall")
    k = Kommune(**profil)
    bericht = erstelle_bericht(k, tag, regelbasis, durable)
    return {e.regel.id: e for e in bericht.ergebnisse if e.regel.gegenstand == "integrationsgremium"}


def pflichten(ergebnisse_):
    return {rid: (e.regel.verbindlichkeit.value, e.status.value) for rid, e in ergebnisse_.items()
            if e.regel.art.value == "pflicht"}


@pytest.mark.parametrize("auslaender, pflicht", [(999, False), (1000, False), (1001, True), (1002, True)])
def test_hessen_mehr_als_1000(regelbasis, durable, auslaender, pflicht):
    e = ergebnisse(regelbasis, durable, land="HE", typ="gemeinde", einwohner=20000, auslaendische_einwohner=auslaender)
    assert ("he.hgo.84.auslaenderbeirat" in e) == pflicht
    assert ("he.hgo.84.auslaenderbeirat_freiwillig" in e) == (not pflicht)
    if pflicht:
        assert "1.001" in e["he.hgo.84.auslaenderbeirat"].begruendung[0] or str(auslaender) in \
            e["he.hgo.84.auslaenderbeirat"].begruendung[0].replace(".", "")
        assert "> 1.000" in e["he.hgo.84.auslaenderbeirat"].begruendung[0]


def test_hessen_integrationskommission_seit_16_mai_2020(regelbasis, durable):
    profil = dict(land="HE", typ="gemeinde", einwohner=20000, auslaendische_einwohner=1500,
                  merkmale={"integrationskommission_gebildet": True})
    vorher = ergebnisse(regelbasis, durable, dt.date(2020, 5, 15), **profil)["he.hgo.84.auslaenderbeirat"]
    ab = ergebnisse(regelbasis, durable, dt.date(2020, 5, 16), **profil)["he.hgo.84.auslaenderbeirat"]
    assert vorher.status.value == "gilt" and not vorher.ausnahmen
    assert ab.status.value == "entfaellt"
    assert ab.ausnahmen[0].greift and ab.ausnahmen[0].zitat.norm == "§ 84 Satz 3 HGO"


def test_hessen_landkreis_nur_kann(regelbasis, durable):
    e = ergebnisse(regelbasis, durable, land="HE", typ="landkreis", einwohner=400000, auslaendische_einwohner=60000)
    assert pflichten(e) == {}
    assert {x.regel.verbindlichkeit.value for x in e.values()} == {"kann"}


@pytest.mark.parametrize("auslaender, pflicht", [(1000, False), (1001, True)])
def test_rheinland_pfalz_gemeinde(regelbasis, durable, auslaender, pflicht):
    e = ergebnisse(regelbasis, durable, land="RP", typ="gemeinde", einwohner=20000, auslaendische_einwohner=auslaender)
    muss = [rid for rid, (v, s) in pflichten(e).items() if v == "muss" and s == "gilt"]
    assert bool(muss) == pflicht, e.keys()


@pytest.mark.parametrize("auslaender, pflicht", [(5000, False), (5001, True)])
def test_rheinland_pfalz_landkreis(regelbasis, durable, auslaender, pflicht):
    e = ergebnisse(regelbasis, durable, land="RP", typ="landkreis", einwohner=200000, auslaendische_einwohner=auslaender)
    muss = [rid for rid, (v, s) in pflichten(e).items() if v == "muss" and s == "gilt"]
    assert bool(muss) == pflicht, e.keys()


def test_rheinland_pfalz_ausgefallene_wahl_fuehrt_zum_auffangbeirat(regelbasis, durable):
    e = ergebnisse(regelbasis, durable, land="RP", typ="gemeinde", einwohner=20000, auslaendische_einwohner=1500,
                   merkmale={"beiratswahl_ausgefallen": True})
    status = pflichten(e)
    assert "entfaellt" in {s for _, s in status.values()}
    assert ("soll", "gilt") in status.values(), status


@pytest.mark.parametrize(
    "auslaender, antrag, pflicht",
    [(4999, 0, False), (5000, 0, True), (5001, 0, True), (2000, 199, False), (2000, 200, True), (1999, 200, False),
     (2500, 0, False), (2500, 250, True), (4999, 200, True)],
)
def test_nordrhein_westfalen(regelbasis, durable, auslaender, antrag, pflicht):
    e = ergebnisse(regelbasis, durable, land="NW", typ="gemeinde", einwohner=100000, auslaendische_einwohner=auslaender,
                   merkmale={"antrag_wahlberechtigte": antrag})
    muss = [rid for rid, (v, s) in pflichten(e).items() if v == "muss" and s == "gilt"]
    assert bool(muss) == pflicht, (e.keys(), pflichten(e))
    if not pflicht:
        assert any(x.regel.verbindlichkeit.value == "kann" for x in e.values())


def test_nordrhein_westfalen_integrationsausschuss_seit_2018(regelbasis, durable):
    profil = dict(land="NW", typ="kreisfreie_stadt", einwohner=1000000, auslaendische_einwohner=190000,
                  merkmale={"integrationsausschuss_gebildet": True})
    vor = pflichten(ergebnisse(regelbasis, durable, dt.date(2016, 6, 1), **profil))
    nach = pflichten(ergebnisse(regelbasis, durable, dt.date(2020, 6, 1), **profil))
    assert ("muss", "gilt") in vor.values()
    assert ("muss", "entfaellt") in nach.values() and ("muss", "gilt") not in nach.values()


def _sl(regelbasis, durable, tag, einwohner, auslaender, **merkmale):
    return ergebnisse(regelbasis, durable, tag, land="SL", typ="gemeinde", einwohner=einwohner,
                      auslaendische_einwohner=auslaender, merkmale=merkmale)


@pytest.mark.parametrize(
    "einwohner, auslaender, soll",
    [(16875, 1687, False),  # 9,997 % – knapp darunter
     (20000, 1999, False),  # 9,995 %
     (20000, 2000, True),  # genau 10 %: „mindestens zehn vom Hundert“
     (20000, 2001, True),
     (3, 1, True)],  # 33,3 % periodisch: exakt, ohne Gleitkomma
)
def test_saarland_mindestens_zehn_vom_hundert(regelbasis, durable, einwohner, auslaender, soll):
    e = _sl(regelbasis, durable, HEUTE, einwohner, auslaender)
    sollen = [rid for rid, (v, s) in pflichten(e).items() if v == "soll" and s == "gilt"]
    assert bool(sollen) == soll, pflichten(e)


def test_saarland_vor_und_nach_der_novelle_2023(regelbasis, durable):
    """9 %: vor der Novelle (≥ 8 %) soll, danach (≥ 10 %) nicht mehr."""
    vor = _sl(regelbasis, durable, dt.date(2023, 6, 1), 20000, 1800)
    nach = _sl(regelbasis, durable, dt.date(2024, 6, 1), 20000, 1800)
    assert ("soll", "gilt") in pflichten(vor).values()
    assert ("soll", "gilt") not in pflichten(nach).values()


def test_saarland_auffangregel_integrationsbeauftragte(regelbasis, durable):
    e = _sl(regelbasis, durable, HEUTE, 20000, 2500, beiratswahl_ausgefallen=True)
    status = pflichten(e)
    assert ("soll", "entfaellt") in status.values()
    auffang = [x for x in e.values() if x.regel.art.value == "pflicht" and x.status.value == "gilt"]
    assert auffang and auffang[0].regel.verbindlichkeit.value == "soll"
    assert any("entfallen" in z for z in auffang[0].begruendung)


def test_berlin_jeder_bezirk(regelbasis, durable):
    e = ergebnisse(regelbasis, durable, land="BE", typ="bezirk", einwohner=300000, auslaendische_einwohner=0)
    assert ("muss", "gilt") in pflichten(e).values()


@pytest.mark.parametrize("land", ["BY", "NI", "HH", "HB"])
def test_laender_ohne_norm_sagen_es(regelbasis, durable, land):
    typ = {"HH": "bezirk", "HB": "kreisfreie_stadt"}.get(land, "gemeinde")
    e = ergebnisse(regelbasis, durable, land=land, typ=typ, einwohner=100000, auslaendische_einwohner=30000)
    assert e and pflichten(e) == {}
    assert all(x.regel.verbindlichkeit.value == "kann" for x in e.values())
