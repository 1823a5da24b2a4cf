"""Zitierfähigkeit: amtliche Fundstelle, amtlicher Link, nicht ermittelte Norm als sichtbarer Vorbehalt.

Geprüft über die CLI auf kleinen Regelbasen (Kopien der sauberen Fixtures) und direkt an den Hilfsfunktionen.
"""

from __future__ import annotations

import csv
import json
import shutil

import pytest
from click.testing import CliRunner

from cli.main import main
from engine.begriffe import LAENDER
from engine.regeln.amtliche_quellen import ist_amtlich, nennt_verkuendungsblatt, verzeichnis
from engine.werkzeuge.quellen import SCHWERE_OHNE_FUNDSTELLE

from .conftest import FIXTURES

SAUBER = FIXTURES / "regeln_kaputt" / "sauber"
AMTLICH = "https://www.rv.hessenrecht.hessen.de/bshe/document/jlr-GemOHE2005V5P84"


@pytest.mark.parametrize("url, land, erwartet", [
    (AMTLICH, "HE", True),
    ("https://hessen.de/x", "HE", True),
    ("https://www.gesetze-im-internet.de/asylblg/__10.html", "SL", True),  # Bundesrecht gilt überall
    ("https://recht.nrw.de/lmi/owa/br_text_anzeigen?v_id=1", "NW", True),
    ("https://voris.wolterskluwer-online.de/browse/document/1", "NI", True),
    ("https://www.haufe.de/oeffentlicher-dienst/hgo-84", "HE", False),
    ("https://lexaris.de/hgo/84", "HE", False),
    ("https://hessen.de.example.com/hgo", "HE", False),  # nur echte Unterdomains
    ("https://nothessen.de/hgo", "HE", False),
    ("https://recht.nrw.de/x", "HE", False),  # amtlich, aber ein anderes Land
    ("https://duisburg.de/rathaus/integrationsrat", "NW", False),  # Seite einer anderen Kommune
])
def test_amtlicher_link(url, land, erwartet):
    assert ist_amtlich(url, land) is erwartet


@pytest.mark.parametrize("fundstelle, land, erwartet", [
    ("GV. NRW. 2021 S. 1274", "NW", True),
    ("GV.NRW. S. 666", "NW", True),
    ("GVBl. I S. 142", "HE", True),
    ("BGBl. I S. 1022", "BY", True),
    ("Amtsbl. I S. 682", "SL", True),
    ("SächsGVBl. S. 1", "SN", True),
    ("GVOBl. M-V S. 777", "MV", True),
    ("Bericht der Landesregierung", "HE", False),
    ("GV. NRW. 2021 S. 1274", "HE", False),  # das Blatt eines anderen Landes
])
def test_verkuendungsblatt(fundstelle, land, erwartet):
    assert nennt_verkuendungsblatt(fundstelle, land) is erwartet


def test_verzeichnis_deckt_alle_laender_und_den_bund():
    eintraege = verzeichnis()
    assert set(LAENDER) | {"DE"} == set(eintraege)
    for land, q in eintraege.items():
        assert q.ist_amtlicher_host(q.portal.split("//")[1].split("/")[0]), land  # das Portal selbst ist amtlich


def _regelbasis(tmp_path, ersetzen: dict[str, str]):
    ziel = tmp_path / "regeln"
    shutil.copytree(SAUBER, ziel)
    datei = ziel / "hessen" / "pflicht.yaml"
    text = datei.read_text(encoding="utf-8")
    for alt, neu in ersetzen.items():
        assert alt in text, alt
        text = text.replace(alt, neu)
    datei.write_text(text, encoding="utf-8")
    return ziel, datei


def _befunde(ordner):
    lauf = CliRunner().invoke(main, ["regeln", "pruefen", str(ordner)])
    return lauf.exit_code, lauf.output


def test_spiegel_als_primaerer_link_ist_eine_warnung_an_der_zeile(tmp_path):
    ordner, datei = _regelbasis(tmp_path, {AMTLICH: "https://www.haufe.de/hgo-84"})
    code, ausgabe = _befunde(ordner)
    assert code == 1
    zeile = next(z for z in ausgabe.splitlines() if "haufe.de" in z)
    assert zeile.startswith(f"{datei}:21:7:") and ": warnung: " in zeile and "kein amtliches Portal" in zeile
    assert "https://www.rv.hessenrecht.hessen.de" in zeile  # der Hinweis nennt das Portal des Landes


def test_pflicht_ohne_fundstelle(tmp_path):
    ordner, datei = _regelbasis(tmp_path, {"      amtliche_fundstelle: GVBl. I S. 142\n": ""})
    code, ausgabe = _befunde(ordner)
    assert code == 1
    assert f"{datei}:" in ausgabe and f": {SCHWERE_OHNE_FUNDSTELLE}: " in ausgabe
    assert "ohne amtliche_fundstelle" in ausgabe
    lauf = CliRunner().invoke(main, ["regeln", "quellen", str(ordner)])
    assert lauf.exit_code == 1 and "he.test.pflicht (Fassung ab 01.01.2020)" in lauf.output


def test_fundstelle_ohne_verkuendungsblatt_ist_eine_warnung(tmp_path):
    ordner, _ = _regelbasis(tmp_path, {"amtliche_fundstelle: GVBl. I S. 142": "amtliche_fundstelle: Webseite des Ministeriums"})
    code, ausgabe = _befunde(ordner)
    assert code == 1 and "nennt kein Verkündungsblatt von Hessen" in ausgabe
    # eine Pflicht belegt keine Parlamentsdrucksache; ein Hinweis (hier: die Kann-Regel) schon
    drucksache = {"amtliche_fundstelle: GVBl. I S. 142": "amtliche_fundstelle: LT-Drs. 20/1644"}
    ordner2, _ = _regelbasis(tmp_path / "pflicht", drucksache)
    assert "nennt kein Verkündungsblatt" in _befunde(ordner2)[1]
    kann = tmp_path / "kann" / "regeln" / "hessen" / "kann.yaml"
    ordner3, _ = _regelbasis(tmp_path / "kann", {})
    kann.write_text(kann.read_text(encoding="utf-8").replace("GVBl. I S. 142", "LT-Drs. 20/1644"), encoding="utf-8")
    assert _befunde(ordner3) == (0, _befunde(ordner3)[1]) and "Verkündungsblatt" not in _befunde(ordner3)[1]


def test_nicht_abgeglichene_fassung_braucht_einen_recherchevermerk(tmp_path):
    """Issue 18: wo kein Wortlaut gefunden wurde, sagt die Fassung, was wann gesucht wurde – sonst eine Warnung an
    der Zeile des Prüfstatus; mit recherche verschwindet sie."""
    ordner, datei = _regelbasis(tmp_path, {"pruefstatus: verifiziert": "pruefstatus: sekundaerquelle"})
    code, ausgabe = _befunde(ordner)
    assert code == 1
    zeile = next(z for z in ausgabe.splitlines() if "was wann gesucht wurde" in z)
    nummer = next(i for i, z in enumerate(datei.read_text(encoding="utf-8").splitlines(), 1) if "pruefstatus" in z)
    assert zeile.startswith(f"{datei}:{nummer}:") and ": warnung: " in zeile
    mit = {"pruefstatus: verifiziert": "pruefstatus: sekundaerquelle\n      recherche: {am: 2026-12-06, gesucht: "
           "Landesportal, ergebnis: nicht gefunden}"}
    ordner2, _ = _regelbasis(tmp_path / "mit", mit)
    assert "was wann gesucht wurde" not in _befunde(ordner2)[1]


def test_unbekannte_norm_ohne_kennzeichen_ist_ein_fehler(tmp_path):
    ordner, _ = _regelbasis(tmp_path, {"norm: § 84 Satz 1 HGO": "norm: Zuständigkeitsregelung (Norm nicht ermittelt)"})
    code, ausgabe = _befunde(ordner)
    assert code == 1 and ": fehler: " in ausgabe and "norm_ermittelt fehlt" in ausgabe


NICHT_ERMITTELT = {
    "      pruefstatus: verifiziert": "      pruefstatus: sekundaerquelle\n"
    "      norm_ermittelt: false\n"
    "      zustaendigkeit_belegt_durch: Auskunft des Landesportals zur Zuständigkeit (Stand 2026)\n"
    "      recherche: {am: 2026-12-06, gesucht: \"GVBl. 2024 und 2025 im Landesportal, Stichwort Zuständigkeit\"}",
    "      amtliche_fundstelle: GVBl. I S. 142\n": "",
}


def test_nicht_ermittelte_norm_braucht_beleg_und_recherche(tmp_path):
    ordner, datei = _regelbasis(tmp_path, {"      pruefstatus: verifiziert": "      pruefstatus: sekundaerquelle\n"
                                                                          "      norm_ermittelt: false"})
    code, ausgabe = _befunde(ordner)
    assert code == 1 and "false braucht zustaendigkeit_belegt_durch und recherche" in ausgabe


def test_nicht_ermittelte_norm_ist_nie_eine_schlichte_pflicht(tmp_path):
    ordner, _ = _regelbasis(tmp_path, NICHT_ERMITTELT)
    code, ausgabe = _befunde(ordner)
    assert code == 0, ausgabe  # dokumentierter Stand: kein Befund der Datei; „regeln quellen“ listet ihn
    quellen = CliRunner().invoke(main, ["regeln", "quellen", str(ordner)])
    assert quellen.exit_code == 0 and "Norm nicht ermittelt (Ergebnisse mit Vorbehalt) (1):" in quellen.output
    args = ["check", "--regeln", str(ordner), "--ags", "06413000", "--stichtag", "2026-12-06"]
    text = CliRunner().invoke(main, args).output
    blick = text.split("AUF EINEN BLICK")[1].split("\n\n")[0]
    assert "VORBEHALT (muss)" in blick and "\nMUSS " not in blick
    assert "Vorbehalt: Norm nicht ermittelt – Zuständigkeit belegt durch Auskunft des Landesportals" in text
    ausfuehrlich = CliRunner().invoke(main, args + ["--ausfuehrlich"]).output
    assert "Gesucht am 06.12.2026: GVBl. 2024 und 2025 im Landesportal" in ausfuehrlich
    dokument = json.loads(CliRunner().invoke(main, args + ["--format", "json"]).output)
    pflicht = next(e for e in dokument["ergebnisse"] if e["regel"] == "he.test.pflicht")
    assert pflicht["vorbehalt_norm"].startswith("Norm nicht ermittelt")
    assert pflicht["zitat"]["norm_ermittelt"] is False and pflicht["zitat"]["recherche"]["am"] == "2026-12-06"
    markdown = CliRunner().invoke(main, args + ["--format", "markdown"]).output
    assert "**Vorbehalt:** Norm nicht ermittelt – Zuständigkeit belegt durch" in markdown


def test_nicht_ermittelte_norm_im_batch(tmp_path):
    """Die CSV der Massenauswertung nennt den Vorbehalt in der Spalte „Vorbehalte“."""
    import datetime as dt

    from engine.auswertung.durable import auswerter_fuer
    from engine.ausgabe.dateien import CsvFormat
    from engine.kommunen.daten import nach_ags
    from engine.regeln.basis import lade_regelbasis

    ordner, _ = _regelbasis(tmp_path, NICHT_ERMITTELT)
    regelbasis = lade_regelbasis([ordner])
    tag = dt.date(2026, 12, 6)
    kommune = nach_ags("06413000").profil(tag)
    _, text = CsvFormat(regelbasis, tag)(kommune, tag, regelbasis, auswerter_fuer(regelbasis), None)
    pflicht = [z for z in csv.reader(text.decode().splitlines(), delimiter=";") if "he.test.pflicht" in z]
    assert pflicht and all("Norm nicht ermittelt" in z for z in pflicht)


def test_fundstelle_und_abgleich_in_den_ausgaben(tmp_path):
    ordner, _ = _regelbasis(tmp_path, {
        "      pruefstatus: verifiziert": "      quelle_wortlaut: wörtliche Kopie bei einem Verlag\n"
        "      abgerufen: 2026-12-01\n      pruefstatus: verifiziert"})
    args = ["check", "--regeln", str(ordner), "--ags", "06413000", "--stichtag", "2026-12-06"]
    text = CliRunner().invoke(main, args + ["--ausfuehrlich"]).output
    assert "Rechtsgrundlage: § 84 Satz 1 HGO (GVBl. I S. 142)" in text
    assert "Wortlaut abgeglichen mit: wörtliche Kopie bei einem Verlag, 01.12.2026" in text
    markdown = CliRunner().invoke(main, args + ["--format", "markdown"]).output
    assert "Hessische Gemeindeordnung, GVBl. I S. 142" in markdown
    dokument = json.loads(CliRunner().invoke(main, args + ["--format", "json"]).output)
    zitat = next(e for e in dokument["ergebnisse"] if e["regel"] == "he.test.pflicht")["zitat"]
    assert zitat["amtliche_fundstelle"] == "GVBl. I S. 142" and zitat["abgerufen"] == "2026-12-01"
    from engine.ausgabe.prosa import regel_prosa
    from engine.regeln.basis import lade_regelbasis

    regelbasis = lade_regelbasis([ordner])
    prosa = regel_prosa(regelbasis.regel("he.test.pflicht"), regelbasis)
    assert "Amtliche Fundstelle: GVBl. I S. 142" in prosa
    assert "Wortlaut abgeglichen mit: wörtliche Kopie bei einem Verlag (abgeglichen am 01.12.2026)" in prosa


def test_regeln_quellen_zaehlt_je_land(tmp_path):
    lauf = CliRunner().invoke(main, ["regeln", "quellen", str(SAUBER), "--nur-tabelle"])
    assert lauf.exit_code == 0, lauf.output
    hessen = next(z for z in lauf.output.splitlines() if z.startswith("Hessen"))
    assert "2 (100 %)" in hessen and "0 von 2" in hessen  # beide Regeln sind Gremienregeln
