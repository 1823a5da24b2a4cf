"""Karten (Issue 24): jede Karteneinheit der Daten hat eine Fläche, die Karte eines Landes zeigt genau seine Kreise,
das SVG ist gültiges XML und zugänglich (Titel je Fläche, Textalternative, Link zur Liste), der Szenariobericht
bettet seine Karte ein und nennt Quelle und Lizenz, die Farbstufen sind im Graudruck geordnet."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections import Counter
from importlib import resources

import pytest
from click.testing import CliRunner

from cli.main import main
from engine.ausgabe.karte_svg import svg
from engine.ausgabe.karten import ANTEIL_STUFEN, KOSTEN_FARBEN, Flaeche, Karte, anteil_stufe, euro, kosten_stufe, \
    kosten_stufen, projiziere, prozent_text, vereinfache
from engine.ausgabe.szenario_karte import KREIS_NEU, NICHT_AUSGEWERTET, szenario_karten
from engine.auswertung.durable import auswerter_fuer
from engine.auswertung.gebietszahlen import Gebietszaehlung, nur_kreisebene
from engine.auswertung.hauptpflicht import hauptpflicht
from engine.auswertung.szenario import szenario_regeln, wirkung
from engine.begriffe import LAENDER, Status, Verbindlichkeit
from engine.kommunen import gebiete, tatsachen
from engine.kommunen.daten import alle
from engine.regeln.basis import lade_regelbasis
from web.karten import land_karte

from .conftest import WURZEL

SVG = "{http://www.w3.org/2000/svg}"
SZENARIEN = WURZEL / "rules" / "szenarien"
VOR_HANAU, NACH_HANAU = dt.date(2025, 12, 31), dt.date(2026, 1, 1)


# ------------------------------------------------------------------------------------------------ Kartengrundlage

def test_jeder_kreis_und_jedes_land_der_daten_hat_eine_flaeche():
    kreise = {d.kreis_ags for d in alle() if d.kreis_ags}
    assert len(kreise) == 400 and set(gebiete.kreise()) == kreise
    assert set(gebiete.laender()) == set(LAENDER) == {d.land for d in alle()}
    kreisfrei_werdend = {t.ags for t in tatsachen.listen()[1].typaenderungen if t.typ_ab == "kreisfreie_stadt"}
    assert kreisfrei_werdend and set(gebiete.gemeinden()) == kreisfrei_werdend
    for g in [*gebiete.kreise().values(), *gebiete.laender().values(), *gebiete.gemeinden().values()]:
        assert g.flaechen and all(len(ring) >= 3 for polygon in g.flaechen for ring in polygon), g.schluessel
        assert all(5.5 < x < 15.5 and 47 < y < 55.2 for p in g.flaechen for r in p for x, y in r), g.schluessel


@pytest.mark.parametrize("stichtag", [VOR_HANAU, NACH_HANAU])
def test_jede_kommune_faellt_in_eine_einheit_ihres_landes(stichtag):
    for land in LAENDER:
        einheiten = gebiete.einheiten(stichtag, land)
        aus_daten = {gebiete.einheit(d.ags, stichtag) for d in alle() if d.land == land}
        assert set(einheiten) == aus_daten, land
        assert all(g.land == land for g in einheiten.values())


def test_hanau_ist_ab_2026_eine_eigene_einheit_ueber_dem_main_kinzig_kreis():
    assert gebiete.einheit("06435014", VOR_HANAU) == "06435"
    assert gebiete.einheit("06435014", NACH_HANAU) == "06435014"
    assert "06435014" not in gebiete.einheiten(VOR_HANAU, "HE")
    assert list(gebiete.einheiten(NACH_HANAU, "HE"))[-1] == "06435014"  # gezeichnet nach (über) dem Kreis
    assert gebiete.einheit_name("06435", NACH_HANAU) == "Main-Kinzig-Kreis (ohne Hanau)"
    assert gebiete.einheit_name("06435", VOR_HANAU) == "Main-Kinzig-Kreis"


def test_mitgelieferte_datei_ist_klein_und_nennt_quelle_und_lizenz():
    groesse = len(resources.files("engine.daten").joinpath("gebiete.json.gz").read_bytes())
    assert groesse < 2_000_000
    text = gebiete.namensnennung()
    assert "VG250" in text and "© GeoBasis-DE / BKG 2019" in text and "dl-de/by-2-0" in text
    assert "31.12.2024" in gebiete.gebietsstand()


# ------------------------------------------------------------------------------------------------ Zeichnen

def test_projektion_ist_flaechentreu_und_nach_norden_ausgerichtet():
    x, y = projiziere(10.45, 51.16)
    assert abs(x) < 1e-9 and abs(y) < 1e-9
    nord, ost = projiziere(10.45, 54.0), projiziere(14.0, 51.16)
    assert nord[1] > 300 and abs(nord[0]) < 1e-6 and ost[0] > 200

    def flaeche(laenge, breite, d=0.1):  # Schnürsenkelformel eines kleinen Gradfelds
        ecken = [projiziere(laenge, breite), projiziere(laenge + d, breite), projiziere(laenge + d, breite + d),
                 projiziere(laenge, breite + d)]
        return abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ecken, ecken[1:] + ecken[:1]))) / 2

    # gleiche Gradfelder werden nach Norden kleiner wie auf der Kugel (cos der Breite), ± 0,5 %
    import math
    verhaeltnis = flaeche(7.0, 54.5) / flaeche(13.0, 47.5)
    assert verhaeltnis == pytest.approx(math.cos(math.radians(54.55)) / math.cos(math.radians(47.55)), rel=5e-3)


def test_vereinfachung_behaelt_die_form_und_laesst_winziges_fallen():
    quadrat = [(0.0, 0.0), (5.0, 0.01), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)]
    assert vereinfache(quadrat, 0.1) == [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)]
    assert vereinfache(quadrat, 0.0) == quadrat
    assert vereinfache([(0.0, 0.0), (0.05, 0.0), (0.05, 0.05), (0.0, 0.05)], 1.0) == []


def _leuchtdichte(farbe: str) -> float:
    r, g, b = (int(farbe[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_farbstufen_sind_im_graudruck_von_hell_nach_dunkel_geordnet():
    for reihe in ([s.farbe for s in ANTEIL_STUFEN], list(KOSTEN_FARBEN)):
        hell = [_leuchtdichte(f) for f in reihe]
        assert all(a > b + 0.05 for a, b in zip(hell, hell[1:])), reihe
    assert all(s.text for s in ANTEIL_STUFEN)


@pytest.mark.parametrize("teil, ganzes, stufe, text", [
    (0, 13, 0, "0 von 13 (0 %)"), (1, 400, 1, "1 von 400 (1 %)"), (1, 4, 1, "1 von 4 (25 %)"),
    (2, 4, 2, "2 von 4 (50 %)"), (3, 4, 3, "3 von 4 (75 %)"), (399, 400, 4, "399 von 400 (99 %)"),
    (1000, 1000, 5, "1.000 von 1.000 (100 %)")])
def test_anteile_in_worten_und_stufen_ohne_falsche_null_oder_hundert(teil, ganzes, stufe, text):
    assert anteil_stufe(teil / ganzes) is ANTEIL_STUFEN[stufe]
    assert prozent_text(teil, ganzes) == text


def test_kostenstufen_mit_runden_grenzen_in_deutscher_schreibweise():
    werte = [126_000.0] * 300 + [189_000.0] * 60 + [252_000.0] * 20 + [378_000.0] * 5  # zwei, drei, vier, sechs Stellen
    stufen = kosten_stufen(werte)
    assert [s.text for _, s in stufen] == ["bis 150.000 €", "über 150.000 € bis 200.000 €",
                                           "über 200.000 € bis 300.000 €", "über 300.000 €"]
    assert {kosten_stufe(w, stufen).text for w in set(werte)} == {s.text for _, s in stufen}
    assert kosten_stufe(0, stufen).text == "keine Kosten"
    assert euro(1_500_000) == "1,5 Mio. €" and euro(2_000_000) == "2 Mio. €" and euro(56_340) == "56.340 €"


def _zaehlung(land: str, stichtag: dt.date) -> Gebietszaehlung:
    """Eine Zählung ohne Auswertung: in jeder Einheit gilt die Regel für die erste Kommune, für die zweite ist sie
    offen."""
    zaehlung = Gebietszaehlung(stichtag)
    schon: Counter = Counter()
    for d in alle():
        if d.land != land:
            continue
        k = d.profil(stichtag)
        e = gebiete.einheit(d.ags, stichtag)
        status = Status.gilt if schon[e] == 0 else Status.unbestimmt if schon[e] == 1 else Status.entfaellt
        schon[e] += 1
        zaehlung.erfasse(d.ags, k.typ, [("he.hgo.84.auslaenderbeirat", status, 0)])
    return zaehlung


def _svg_baum(text: str) -> ET.Element:
    return ET.fromstring(re.search(r"<svg xmlns.*?</svg>", text, re.S).group(0))


@pytest.mark.parametrize("stichtag", [VOR_HANAU, NACH_HANAU])
def test_karte_eines_landes_zeigt_genau_seine_kreise_zugaenglich(stichtag):
    regel = lade_regelbasis().regel("he.hgo.84.auslaenderbeirat")
    daten = land_karte("HE", stichtag, regel, _zaehlung("HE", stichtag))
    baum = _svg_baum(str(daten["svg"]))
    flaechen = baum.findall(f".//{SVG}a")
    erwartet = {gebiete.einheit(d.ags, stichtag) for d in alle() if d.land == "HE"}
    assert {a.get("id").removeprefix("karte-") for a in flaechen} == erwartet
    assert len(erwartet) == (26 if stichtag == VOR_HANAU else 27)
    # Textalternative: Titel und Beschreibung, über aria verbunden
    ids = {e.get("id"): e for e in baum.iter() if e.get("id")}
    assert ids[baum.get("aria-labelledby")].tag == f"{SVG}title" and "Hessen" in ids[baum.get("aria-labelledby")].text
    assert ids[baum.get("aria-describedby")].tag == f"{SVG}desc" and "Liste" in ids[baum.get("aria-describedby")].text
    # jede Fläche: Link zur Zeile der Liste, Titel mit Name und Zahlen
    zeilen = {z.schluessel: z for z in daten["liste"]}
    for a in flaechen:
        schluessel = a.get("id").removeprefix("karte-")
        assert a.get("href") == f"#kreis-{schluessel}"
        titel = a.find(f"{SVG}title").text
        assert titel.startswith(zeilen[schluessel].name + ": ")
        assert re.search(r"gilt für 1 von [\d.]+ Kommunen \(\d+ %\)", titel), titel
    offen = [a for a in flaechen if a.find(f"{SVG}use") is not None]
    assert offen and all("offen bei 1" in a.find(f"{SVG}title").text for a in offen)
    if stichtag == NACH_HANAU:
        assert zeilen["06435014"].name == "Hanau" and zeilen["06435"].name == "Main-Kinzig-Kreis (ohne Hanau)"


def test_regel_nur_fuer_kreise_laesst_kreisfreie_staedte_nicht_betroffen():
    regel = lade_regelbasis().regel("rp.lko.49a.beirat_migration_integration")  # nur Landkreise
    zaehlung = Gebietszaehlung(VOR_HANAU)
    for d in alle():
        if d.land == "RP":
            zaehlung.erfasse(d.ags, d.typ, [(regel.id, "gilt")] if d.art == "kreis" else [])
    liste = {z.schluessel: z for z in land_karte("RP", VOR_HANAU, regel, zaehlung)["liste"]}
    assert liste["07111"].anteil.startswith("nicht betroffen")  # Koblenz, kreisfrei
    assert liste["07131"].anteil == "1 von 1 (100 %)"  # Landkreis Ahrweiler: der Kreis selbst


def test_svg_text_wird_maskiert():
    gebiet = gebiete.kreise()["10041"]
    karte = Karte("Titel <&> „x“", "Beschreibung & mehr", [Flaeche(gebiet, ANTEIL_STUFEN[1], 'A<b>"\u202e', "#k")],
                  list(ANTEIL_STUFEN), "Quelle")
    baum = ET.fromstring(svg(karte, breite=200))
    assert baum.find(f"{SVG}title").text == "Titel <&> „x“"
    assert baum.find(f".//{SVG}a/{SVG}title").text == 'A<b>"\\u202e'


# ------------------------------------------------------------------------------------------------ Hauptpflicht

def test_hauptpflicht_je_land():
    basis, tag = lade_regelbasis(), dt.date(2026, 12, 1)
    he, sl, bw = (hauptpflicht(basis, land, tag) for land in ("HE", "SL", "BW"))
    assert he.regel.id == "he.hgo.84.auslaenderbeirat" and he.regel.verbindlichkeit == Verbindlichkeit.muss
    assert sl.regel.id == "sl.ksvg.50.integrationsbeirat"  # der Beirat, nicht die Auffangregel (Beauftragte)
    assert bw is None


# ------------------------------------------------------------------------------------------------ Szenario

@pytest.fixture(scope="module")
def szenario_c():
    basis = lade_regelbasis()
    ueberlagert = lade_regelbasis(szenario=[SZENARIEN / "c_nrw_modell_mv"])
    daten = [d for d in alle() if d.land == "MV"]
    tag = dt.date(2027, 1, 1)
    return szenario_regeln(ueberlagert), wirkung(daten, tag, basis, ueberlagert, auswerter_fuer(basis),
                                                 auswerter_fuer(ueberlagert)), daten, tag


def test_szenariokarte_zeigt_bei_kreisszenarien_den_kreis_selbst(szenario_c):
    regeln, ergebnis, daten, tag = szenario_c
    assert nur_kreisebene(regeln)
    links, rechts = szenario_karten(regeln, ergebnis, daten, tag)
    mv = [f for f in links.flaechen if f.gebiet.land == "MV"]
    assert len(mv) == 8
    assert sum(f.stufe is KREIS_NEU for f in mv) == len(ergebnis["MV"].neu) == 8
    assert all(f.stufe is NICHT_AUSGEWERTET for f in links.flaechen if f.gebiet.land != "MV")
    assert all(re.search(r"Kosten [\d.]+ € bis [\d.]+ € je Jahr", f.titel) for f in rechts.flaechen
               if f.gebiet.land == "MV")


def test_szenariobericht_bettet_karte_ein_und_nennt_quelle_und_lizenz(tmp_path):
    ziel = tmp_path / "c.md"
    lauf = CliRunner().invoke(main, ["szenario", str(SZENARIEN / "c_nrw_modell_mv"), "--land", "MV", "--ausgabe",
                                     str(ziel)], catch_exceptions=False)
    assert lauf.exit_code == 0, lauf.output
    bericht = ziel.read_text(encoding="utf-8")
    assert "![Karte: neu erfasste Kommunen und Kosten je Kreis](c_karte.png)" in bericht
    assert "© GeoBasis-DE / BKG" in bericht and "dl-de/by-2-0" in bericht and "VG250" in bericht
    assert (tmp_path / "c_karte.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    ET.fromstring((tmp_path / "c_karte.svg").read_bytes())  # gültiges XML
    assert "c_karte.png" in lauf.output


# ------------------------------------------------------------------------------------------------ Webseiten

@pytest.fixture(scope="module")
def client():
    pytest.importorskip("httpx")
    from fastapi.testclient import TestClient

    from web.app import erstelle_app

    return TestClient(erstelle_app())


def test_laenderseite_karte_mit_kreisliste_und_regelwahl(client):
    seite = client.get("/laender/SL", params={"stichtag": "2025-06-01"}).text
    baum = _svg_baum(seite)
    ziele = [a.get("href") for a in baum.findall(f".//{SVG}a")]
    saarland = {d.kreis_ags for d in alle() if d.land == "SL"}
    assert sorted(z.removeprefix("#kreis-") for z in ziele) == sorted(saarland) and len(saarland) == 6
    for ziel in ziele:
        assert f'<tr id="{ziel[1:]}">' in seite  # jede Fläche führt zu ihrer Zeile
    assert "Karte: Integrationsbeirat in Gemeinden" in seite  # Standard: das Integrationsgremium
    assert "Kartengrundlage: VG250, © GeoBasis-DE / BKG 2019" in seite
    andere = client.get("/laender/SL", params={"stichtag": "2025-06-01",
                                               "karte": "sl.ksvg.50.integrationsbeauftragte"}).text
    assert "Karte: Integrationsbeauftragte oder Integrationsbeauftragter" in andere
    unbekannt = client.get("/laender/SL", params={"stichtag": "2025-06-01", "karte": "gibt.es.nicht"})
    assert unbekannt.status_code == 200 and "Karte: Integrationsbeirat in Gemeinden" in unbekannt.text


def test_startseite_deutschlandkarte_der_hauptpflicht(client):
    seite = client.get("/").text
    baum = _svg_baum(seite)
    flaechen = baum.findall(f".//{SVG}a")
    assert len(flaechen) == 16
    for a in flaechen:
        code = a.get("href").split("?")[0].removeprefix("/laender/")
        assert a.find(f"{SVG}title").text.startswith(LAENDER[code].name + ": ")
    hessen = next(a for a in flaechen if a.get("href").startswith("/laender/HE?"))
    assert "karte=he.hgo.84.auslaenderbeirat" in hessen.get("href")
    assert "muss: Ausländerbeirat" in hessen.find(f"{SVG}title").text
    assert baum.find(f"{SVG}desc").text and 'id="land-HE"' in seite


# ------------------------------------------------------------------------------------------------ batch --karte

def test_batch_zeichnet_die_karte_der_hauptpflicht_eines_landes(tmp_path):
    karte = tmp_path / "sl.svg"
    lauf = CliRunner().invoke(main, ["batch", "--land", "SL", "--stichtag", "2025-06-01", "--ausgabe",
                                     str(tmp_path / "sl.csv"), "--karte", str(karte), "--prozesse", "1"],
                              catch_exceptions=False)
    assert lauf.exit_code == 0, lauf.output
    assert "sl.ksvg.50.integrationsbeirat" in lauf.output.splitlines()[-2]
    text = karte.read_text(encoding="utf-8")
    ET.fromstring(text)
    assert "Karte Saarland" in text and "GeoBasis-DE" in text and "über 0 bis 25" in text


@pytest.mark.parametrize("argumente, meldung", [
    (["--karte", "k.txt"], "auf .png oder .svg enden"),
    (["--karten-regel", "he.hgo.84.auslaenderbeirat"], "wirkt nur mit --karte"),
    (["--karte", "k.png", "--karten-regel", "gibt.es.nicht"], "Keine Regel mit der Kennung „gibt.es.nicht“"),
    (["--karte", "k.png", "--land", "SL", "--land", "HE"], "--karten-regel ID angeben"),
])
def test_batch_karte_falsche_angaben_vor_der_auswertung(tmp_path, argumente, meldung):
    lauf = CliRunner().invoke(main, ["batch", "--ausgabe", str(tmp_path / "x.csv"), *argumente])
    assert lauf.exit_code == 2 and meldung in lauf.output and not (tmp_path / "x.csv").exists()
