"""Zahlen nach dem Maß des Gesetzes: geschätzt werden gemeldete ausländische Einwohner, die Spannen decken
veröffentlichte Zählungen außerhalb der Kalibrierung, und jede Schätzung sagt, woher sie stammt (Issues 8 und 20)."""

from __future__ import annotations

import datetime as dt
import math
import statistics
import sys

import pytest

from engine.kommunen import alterung, erstaufnahme
from engine.kommunen.alterung import ZENSUSTAG, kreisreihen, schaetze
from engine.kommunen.daten import nach_ags

from .conftest import WURZEL

sys.path.insert(0, str(WURZEL / "bench"))
import abdeckung_zahlen  # noqa: E402
import kalibrierung_zahlen  # noqa: E402

DEFINITIONEN = set(abdeckung_zahlen.DEFINITIONEN) | {"wahlberechtigte"}


@pytest.fixture(scope="module")
def bewertet():
    return abdeckung_zahlen.auswertung()


def test_jede_zahl_hat_zaehlweise_stichtag_quelle_und_beleg():
    zeilen = abdeckung_zahlen.zeilen()
    assert sum(abdeckung_zahlen.bewertbar(z) for z in zeilen) >= 90
    for z in zeilen:
        nach_ags(str(z["ags"]))  # jede AGS gibt es
        assert z["definition"] in DEFINITIONEN, z["name"]
        assert isinstance(z["stichtag"], dt.date) and isinstance(z["abgerufen"], dt.date)
        assert z["url"].startswith("http") and z["quelle"]
        if z["definition"] == "fortschreibung":
            assert z["basis_zensus"] in (2011, 2022), z["name"]
        ziffern = "".join(c for c in z["zitat"] if c.isdigit())
        if "auslaendische_einwohner" in z:
            assert str(z["auslaendische_einwohner"]).lstrip("0")[:3] in ziffern, z["name"]
        else:  # ein Anteil: als Text mit den veröffentlichten Nachkommastellen, wörtlich im Beleg
            assert isinstance(z["auslaenderanteil"], str), z["name"]
            assert z["auslaenderanteil"].replace(".", "") in ziffern, z["name"]


def test_teilung_haengt_nur_an_der_ags():
    zeilen = [z for z in abdeckung_zahlen.zeilen() if abdeckung_zahlen.bewertbar(z)]
    haelften = {abdeckung_zahlen.haelfte(str(z["ags"])) for z in zeilen}
    assert haelften == {"kalibrierung", "test"}
    for z in zeilen:
        erwartet = "zurueckgehalten" if z.get("nach_festlegung") else abdeckung_zahlen.haelfte(str(z["ags"]))
        assert abdeckung_zahlen.gruppe(z) == erwartet


def test_zurueckgehaltene_zahlen_stellen_nichts_ein():
    """Später gefundene Zahlen (``nach_festlegung``) verschieben die festgelegten Parameter nicht."""
    def schluessel(z):
        return str(z["ags"]), z["stichtag"], z["definition"]
    nachgereicht = {schluessel(z) for z in abdeckung_zahlen.zeilen() if z.get("nach_festlegung")}
    assert nachgereicht
    kalibriert = {schluessel(r["zeile"]) for r in kalibrierung_zahlen.rohwerte()}
    assert kalibriert and not kalibriert & nachgereicht


@pytest.mark.parametrize("haelfte, mindestens", [("kalibrierung", 0.95), ("test", 0.85), ("zurueckgehalten", 0.90)])
def test_spannen_decken_veroeffentlichte_zahlen(bewertet, haelfte, mindestens):
    """Schutz gegen Rückschritte. Gemessen (README): Kalibrierung 58/59, Test 35/39 = 89,7 % – das Ziel 90 % verfehlt
    die Testhälfte knapp; zurückgehalten 86/93 = 92,5 % (blind gemessen am 06.12.2026), 93/93 nach der Fortschreibung
    der Bezirke mit der Reihe ihrer Stadt (ein Fehler, kein Parameter: die 7 Hamburger Bezirkszahlen, die er traf,
    sind seither nicht mehr blind); mit der dritten, blinden Runde (40 Zahlen, 28 in der Spanne) 121/133 = 91,0 %;
    mit der vierten (53 Zahlen, 49 in der Spanne) 170/186 = 91,4 %. Darunter darf keine Änderung fallen."""
    paare = [(z, b) for z, b in bewertet if abdeckung_zahlen.gruppe(z) == haelfte]
    k = abdeckung_zahlen.kennzahlen(paare)
    assert k["drin"] / k["n"] >= mindestens, (haelfte, k)


def test_testhaelfte_ueber_alle_runden_erreicht_das_ziel(bewertet):
    """Das Ziel des Issues an der vorab festgelegten Testhälfte (AGS-Hash) über alle Runden – keine dieser Zahlen hat
    einen Parameter eingestellt: mindestens 90 % in der Spanne, Median der Abweichung höchstens ±3 %. Gemessen
    (README): 122/133 = 91,7 %, Median −0,5 %; die vierte Runde allein blind 49/53."""
    k = abdeckung_zahlen.kennzahlen(abdeckung_zahlen.testhaelfte_alle(bewertet))
    assert k["n"] >= 120
    assert k["drin"] / k["n"] >= 0.90, k
    assert abs(k["median"]) <= 0.03, k


def test_jedes_land_und_jede_art_hat_veroeffentlichte_zahlen(bewertet):
    laender = {z["land"] for z, _ in bewertet}
    arten = {b["art"] for _, b in bewertet}
    assert laender == {"BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV", "NI", "NW", "RP", "SL", "SN", "ST", "SH", "TH"}
    assert arten == {"gemeinde", "kreisfreie_stadt", "kreis", "bezirk", "stadtstaat"}


def test_anteil_gilt_mit_seiner_rundung():
    """Ein veröffentlichter Anteil steht für alles, was auf ihn gerundet wird: „23,5“ mit 184.754 Einwohnern ist
    43.417 (23,45 % bis 23,55 %: 43.325 bis 43.510); ohne Einwohner der Quelle zählt die Spanne des Profils."""
    from fractions import Fraction

    zeile = {"auslaenderanteil": "23.5", "einwohner": 184754}
    punkt, unten, oben = abdeckung_zahlen.veroeffentlicht(zeile, None)
    assert round(punkt) == 43417 and unten == Fraction(2345, 10000) * 184754 and oben == Fraction(2355, 10000) * 184754
    zeile = {"auslaenderanteil": "17"}
    kommune = nach_ags("04011000").profil(dt.date(2016, 12, 31))
    e_von, e_bis = kommune.spanne("einwohner")
    punkt, unten, oben = abdeckung_zahlen.veroeffentlicht(zeile, kommune)
    assert unten == Fraction(165, 1000) * e_von and oben == Fraction(175, 1000) * e_bis
    assert abdeckung_zahlen.veroeffentlicht({"auslaendische_einwohner": 1234}, None) == (1234, 1234, 1234)


def test_melderegister_ohne_verzerrung(bewertet):
    """Geschätzt wird die Zahl des Gesetzes: gegenüber Melderegisterzahlen liegt der Median der Abweichung bei ±3 %."""
    abweichung = [b["abweichung"] for z, b in bewertet if z["definition"] == "melderegister"]
    assert len(abweichung) >= 40
    assert abs(statistics.median(abweichung)) <= 0.03


def test_keine_feste_schwellenantwort_kippt_mit_der_veroeffentlichten_zahl(bewertet):
    gekippt = [(z["name"], z["stichtag"], b["kippt"]) for z, b in bewertet if b["kippt"]]
    assert gekippt == []


def test_parameter_sind_die_der_kalibrierung():
    """Die Werte in alterung.py sind die, die bench/kalibrierung_zahlen.py aus der Kalibrierungshälfte ableitet."""
    k = kalibrierung_zahlen.kalibriere()
    assert round(float(k["zuschlag"]), 3) == alterung.REGISTERZUSCHLAG
    for name, breite in (("gemeinde", alterung.BREITE_GEMEINDE), ("kreisebene", alterung.BREITE_KREISEBENE)):
        for seite in ("unten", "oben"):
            assert -(-k[name][seite] * 100 // 1) / 100 == breite[seite], (name, seite)


def test_spanne_reicht_vom_zensuspfad_bis_ueber_das_melderegister():
    tag = dt.date(2024, 12, 31)
    d = nach_ags("06412000")  # Frankfurt am Main
    k = d.profil(tag)
    von, bis = k.spanne("auslaendische_einwohner")
    p = alterung.pfade("06412", tag)
    assert von <= d.auslaender_basis * p.zensus[1] <= k.auslaendische_einwohner <= bis
    assert k.auslaendische_einwohner == round(d.auslaender_basis * p.register[1] * (1 + alterung.REGISTERZUSCHLAG))


def test_spanne_waechst_mit_dem_abstand_zum_zensus():
    d = nach_ags("05154012")  # Geldern
    breite = []
    for tag in (ZENSUSTAG, dt.date(2023, 12, 31), dt.date(2025, 12, 31), dt.date(2030, 12, 31)):
        von, bis = d.profil(tag).spanne("auslaendische_einwohner")
        breite.append(bis - von)
    assert breite == sorted(breite) and breite[-1] > breite[0]


def test_nach_2024_wird_ohne_beleg_nur_mit_spanne_fortgeschrieben():
    reihe = next(iter(kreisreihen()))
    a = schaetze(1000, 995, 1005, reihe, 100_000, dt.date(2024, 12, 31), ist_kreisebene=True)
    b = schaetze(1000, 995, 1005, reihe, 100_000, dt.date(2027, 12, 31), ist_kreisebene=True)
    assert b.von <= a.von * 1.001 and b.bis > a.bis  # unten kein erfundenes Wachstum, oben bis 3 % je Jahr
    assert "Fortschreibung nach 2024" in b.grund and "Fortschreibung nach 2024" not in a.grund


@pytest.mark.parametrize("bezirk, stadt", [("02000001", "02000"), ("11000003", "11000")])
def test_bezirke_laufen_mit_der_reihe_ihrer_stadt(bezirk, stadt):
    """Vor dem Zensus stand die Bezirksschätzung still (Hamburg-Mitte 2013 wie 2020: 86.830); jetzt folgt sie dem
    Registerniveau der Stadt – dasselbe Verhältnis wie die Stadt selbst, die Spanne wächst mit dem Abstand."""
    d = nach_ags(bezirk)
    basis = d.basis_stichtag
    werte = {}
    for tag in (dt.date(2013, 12, 31), dt.date(2019, 12, 31), ZENSUSTAG, basis):
        k = d.profil(tag)
        werte[tag] = (k.auslaendische_einwohner, *k.spanne("auslaendische_einwohner"))
        faktor = alterung.pfade(stadt, tag).register[1] / alterung.pfade(stadt, basis).register[1]
        assert k.auslaendische_einwohner == round(d.auslaender_basis * faktor)
    mitten = [w[0] for w in werte.values()]
    assert mitten == sorted(mitten) and mitten[0] < 0.85 * mitten[-1]
    breiten = [(w[2] - w[1]) / w[0] for w in werte.values()]
    assert breiten == sorted(breiten, reverse=True)
    assert "Registerniveau der Stadt" in d.profil(dt.date(2013, 12, 31)).unsicherheit.grund


@pytest.mark.parametrize("ags", ["05154012", "06413000", "11000008"])
def test_grund_nennt_zaehlweise_quelle_stichtag_und_was_entscheidet(ags):
    k = nach_ags(ags).profil(dt.date(2025, 6, 1))
    assert "01.06.2025" in k.unsicherheit.grund or "31.12.2024" in k.unsicherheit.grund
    assert "gemeldete ausländische Einwohner (Melderegister)" in k.unsicherheit.grund
    assert "Maßgeblich ist die Zahl der gemeldeten ausländischen Einwohner" in k.unsicherheit.grund


def test_erstaufnahmeeinrichtung_verbreitert_die_spanne_um_ihre_plaetze():
    tag = dt.date(2025, 6, 1)
    suhl = nach_ags("16054000")
    plaetze = sum(e.plaetze for e in erstaufnahme.einrichtungen("16054000", tag))
    assert plaetze == 1400
    mit = suhl.profil(tag)
    ohne = alterung.schaetze(suhl.auslaender_basis, suhl.auslaender_basis_von, suhl.auslaender_basis_bis, "16054",
                             mit.einwohner, tag, ist_kreisebene=True)
    von, bis = mit.spanne("auslaendische_einwohner")
    assert (von, bis) == (max(0, ohne.von - plaetze), ohne.bis + plaetze)
    assert "Erstaufnahmeeinrichtung" in mit.unsicherheit.grund and "1.400" in mit.unsicherheit.grund
    # der Kreis eines Standorts trägt dieselben Plätze, eine Gemeinde ohne Einrichtung nicht
    assert erstaufnahme.einrichtungen("01060", tag) and not erstaufnahme.einrichtungen("01060001", tag)


def test_erstaufnahme_belege_sind_vollstaendig():
    for e in erstaufnahme.liste().einrichtungen:
        nach_ags(e.ags)
        assert e.url.startswith("http") and str(e.plaetze)[:3] in "".join(c for c in e.zitat if c.isdigit()), e.name


def test_kreis_mit_geheimen_gemeindeanteilen_bleibt_schmal():
    """Kyffhäuserkreis: geheim gehaltene Gemeindeanteile gehen mit dem Anteil des Kreises ein, nicht mit 0 bis zur
    ganzen Einwohnerzahl; die Gemeinden selbst behalten ihre weite Spanne."""
    kreis = nach_ags("16065")
    assert kreis.anteil_geheim
    assert kreis.auslaender_basis_bis - kreis.auslaender_basis_von < 0.2 * kreis.auslaender_basis
    k = kreis.profil(dt.date(2023, 12, 31))
    von, bis = k.spanne("auslaendische_einwohner")
    assert bis < 1.5 * k.auslaendische_einwohner and "geheim gehaltenem" in k.unsicherheit.grund
    geheim = next(d for d in __import__("engine.kommunen.daten", fromlist=["alle"]).alle()
                  if d.kreis_ags == "16065" and d.art == "gemeinde" and d.anteil_geheim)
    g = geheim.profil(dt.date(2023, 12, 31))
    assert g.spanne("auslaendische_einwohner") == (0, g.unsicherheit.einwohner.bis)


@pytest.mark.parametrize("kreis_ags, anteil", [("13071", "3.5"), ("13076", "5.4"), ("01057", "4.9")])
def test_kreis_mit_veroeffentlichtem_zensusanteil_nimmt_ihn_statt_der_summe(kreis_ags, anteil):
    """Wo Gemeindeanteile geheim sind, der Kreis seinen Zensusanteil aber selbst veröffentlicht hat
    (engine/daten/zensus_kreise.csv), zählt der Kreisanteil mit seiner Rundung (± 0,05 Prozentpunkte) – keine
    geschätzte Gemeinde geht ein; die Reihe des Kreises rechnet mit demselben Anteil. Der Grund nennt die Herkunft."""
    from decimal import Decimal

    kreis = nach_ags(kreis_ags)
    assert not kreis.anteil_geheim and kreis.anteil_pct == anteil
    p, e = Decimal(anteil), kreis.einwohner_zensus
    assert kreis.auslaender_basis == int((p * e / 100).to_integral_value())
    assert (kreis.auslaender_basis_von, kreis.auslaender_basis_bis) == (
        math.floor((p - Decimal("0.05")) * e / 100), math.ceil((p + Decimal("0.05")) * e / 100))
    assert alterung.kreisreihen()[kreis_ags].zensus_anteil == float(anteil)
    grund = kreis.profil(dt.date(2023, 12, 31)).unsicherheit.grund
    assert f"im Zensus 2022 selbst veröffentlicht: {anteil.replace('.', ',')} %" in grund
    assert "geheim gehaltenem" not in grund and "Statistisches Amt" in grund
    # seine Gemeinden mit geheimem Anteil behalten die weite Spanne
    from engine.kommunen.daten import alle

    geheim = next(d for d in alle() if d.kreis_ags == kreis_ags and d.art == "gemeinde" and d.anteil_geheim)
    g = geheim.profil(dt.date(2023, 12, 31))
    assert g.spanne("auslaendische_einwohner") == (0, g.unsicherheit.einwohner.bis)


def test_geldern_2025_muss_wie_die_veroeffentlichte_zahl():
    """Geldern: „etwas mehr als 5.700“ ausländische Einwohner (2025), Zensus 4.741. Issue 8 sagte „kann“, Issue 8b
    „unbestimmt“; die Schätzung der gemeldeten Zahl liegt jetzt ganz über 5.000 – wie die Zahl der Stadt."""
    import json

    from click.testing import CliRunner

    from cli.main import main

    daten = json.loads(CliRunner().invoke(main, ["check", "--ags", "05154012", "--stichtag", "2025-09-14",
                                                 "--format", "json"]).output)
    pflicht = [e for e in daten["ergebnisse"] if e["regel"] == "nw.go.27.integrationsrat"]
    assert pflicht and pflicht[0]["status"] == "gilt"
    assert daten["kommune"]["spannen"]["auslaendische_einwohner"]["von"] >= 5000
