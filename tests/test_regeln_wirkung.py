"""``regeln wirkung``: was eine Regeländerung bei den Kommunen bewirkt – je Art der Änderung gegen ``check --regeln``
auf beiden Seiten geprüft (betroffene und nicht betroffene Kommunen).

Grundlage jeder Prüfung: die hessischen Regeln und die des Bundes (eine kleine, vollständige Regelbasis); die
Änderungen sind solche, die ein Rechtsberater macht: Schwelle, Datum, Typenliste, neue und entfernte Regel, eine
Änderung ohne Wirkung.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from cli.main import main

from .conftest import WURZEL

STICHTAG = "2026-06-01"
OFFENBACH, BIBLIS, FULDA, LK_OFFENBACH = "06413000", "06431003", "06631009", "06438"


@pytest.fixture(scope="module")
def basis(tmp_path_factory):
    ziel = tmp_path_factory.mktemp("wirkung") / "alt"
    for land in ("hessen", "bund"):
        shutil.copytree(WURZEL / "rules" / land, ziel / land, ignore=shutil.ignore_patterns("tests"))
    return ziel


def _kopie(basis, tmp_path, aenderungen: dict[str, list[tuple[str, str]]], neue: dict[str, str] | None = None,
           entfernt: tuple[str, ...] = ()):
    neu = tmp_path / "neu"
    shutil.copytree(basis, neu)
    for datei, ersetzungen in aenderungen.items():
        pfad = neu / "hessen" / datei
        text = pfad.read_text(encoding="utf-8")
        for alt, ersatz in ersetzungen:
            assert alt in text, (datei, alt)
            text = text.replace(alt, ersatz)
        pfad.write_text(text, encoding="utf-8")
    for datei, text in (neue or {}).items():
        (neu / "hessen" / datei).write_text(text, encoding="utf-8")
    for datei in entfernt:
        (neu / "hessen" / datei).unlink()
    return neu


def _wirkung(alt, neu, *zusatz):
    lauf = CliRunner().invoke(main, ["regeln", "wirkung", str(alt), str(neu), "--stichtag", STICHTAG, "--format",
                                     "json", *zusatz])
    assert lauf.exit_code == 0, lauf.output
    return json.loads(lauf.stdout)


def _status(regeln, ags: str, regel: str) -> str | None:
    """Der Status der Regel für die Kommune laut ``check --regeln`` (None: kein Ergebnis)."""
    lauf = CliRunner().invoke(main, ["check", "--regeln", str(regeln), "--ags", ags, "--stichtag", STICHTAG,
                                     "--format", "json"])
    assert lauf.exit_code == 0, lauf.output
    treffer = [e["status"] for e in json.loads(lauf.stdout)["ergebnisse"] if e["regel"] == regel]
    return treffer[0] if treffer else None


STATUS = {"gilt": "gilt", "offen": "unbestimmt", "entfällt (Ausnahme)": "entfaellt", "–": None}


def _pruefe_gegen_check(bericht, alt, neu, ags: str, regel: str, erwartet: set[str]):
    """Die Wirkungen dieser Kommune und Regel sind genau ``erwartet`` – und stimmen mit check auf beiden Seiten."""
    eigene = [w for w in bericht["wirkungen"] if w["ags"] == ags and w["regel"] == regel]
    assert {w["aenderung"] for w in eigene} == erwartet
    vorher, nachher = _status(alt, ags, regel), _status(neu, ags, regel)
    for w in eigene:
        assert STATUS[w["status_alt"]] == vorher and STATUS[w["status_neu"]] == nachher
    if not erwartet:
        assert vorher == nachher


def test_schwelle(basis, tmp_path):
    neu = _kopie(basis, tmp_path, {
        "he.hgo.84.auslaenderbeirat.yaml": [("      wert: 1000\n", "      wert: 3000\n")],
        "he.hgo.84.auslaenderbeirat_freiwillig.yaml": [("        wert: 1000\n", "        wert: 3000\n")]})
    bericht = _wirkung(basis, neu)
    einzel = next(a for a in bericht["regelaenderungen"] if a["regel"] == "he.hgo.84.auslaenderbeirat")["einzelheiten"]
    assert any("Schwelle" in e and "1.000 → 3.000" in e for e in einzel)
    _pruefe_gegen_check(bericht, basis, neu, BIBLIS, "he.hgo.84.auslaenderbeirat", {"entfaellt"})
    _pruefe_gegen_check(bericht, basis, neu, BIBLIS, "he.hgo.84.auslaenderbeirat_freiwillig", {"neu"})
    _pruefe_gegen_check(bericht, basis, neu, OFFENBACH, "he.hgo.84.auslaenderbeirat", set())  # 49.073 > 3.000
    assert bericht["laender"] == ["HE"]


def test_datum(basis, tmp_path):
    """Das Programm endet früher: am Stichtag ist es für die Landkreise nicht mehr da."""
    neu = _kopie(basis, tmp_path, {"he.wir.vielfaltszentren.yaml": [("gueltig_bis: 2030-12-31", "gueltig_bis: 2026-03-31")]})
    bericht = _wirkung(basis, neu)
    einzel = next(a for a in bericht["regelaenderungen"] if a["regel"] == "he.wir.vielfaltszentren")["einzelheiten"]
    assert any("Ende 31.12.2030 → 31.03.2026" in e for e in einzel)
    _pruefe_gegen_check(bericht, basis, neu, LK_OFFENBACH, "he.wir.vielfaltszentren", {"entfaellt"})
    _pruefe_gegen_check(bericht, basis, neu, BIBLIS, "he.wir.vielfaltszentren", set())  # nie förderfähig


def test_typenliste(basis, tmp_path):
    neu = _kopie(basis, tmp_path, {"he.wir.vielfaltszentren.yaml": [
        ("typen: [landkreis, kreisfreie_stadt, sonderstatusstadt]", "typen: [landkreis, kreisfreie_stadt]")]})
    bericht = _wirkung(basis, neu)
    einzel = next(a for a in bericht["regelaenderungen"] if a["regel"] == "he.wir.vielfaltszentren")["einzelheiten"]
    assert "Kommunaltypen: – Sonderstatusstadt" in einzel
    _pruefe_gegen_check(bericht, basis, neu, FULDA, "he.wir.vielfaltszentren", {"entfaellt"})
    _pruefe_gegen_check(bericht, basis, neu, LK_OFFENBACH, "he.wir.vielfaltszentren", set())
    betroffen = {w["ags"] for w in bericht["wirkungen"]}
    assert betroffen and all(w["kommunaltyp"] == "Sonderstatusstadt" for w in bericht["wirkungen"]), betroffen


NEUE_REGEL = """id: he.test.kreishinweis
land: HE
titel: Hinweis für Landkreise (Test)
art: hinweis
gegenstand: integrationsgremium
stand: 2026-12-06
typen: [landkreis]
vereinbar_mit: [he.hko.4b.auslaenderbeirat]
rechtsfolge: Ein Hinweis für jeden Landkreis.
versionen:
  - gueltig_ab: 2020-01-01
    zitat:
      norm: § 4b HKO
      gesetz: Hessische Landkreisordnung
      amtliche_fundstelle: GVBl. I S. 183
      url: https://www.rv.hessenrecht.hessen.de/bshe/document/jlr-LKrOHE2005V2P4b
      inhalt: Ein Hinweis nur zum Testen der Wirkung einer neuen Regel.
      pruefstatus: sekundaerquelle
"""


def test_neue_und_entfernte_regel(basis, tmp_path):
    neu = _kopie(basis, tmp_path, {}, neue={"he.test.kreishinweis.yaml": NEUE_REGEL})
    bericht = _wirkung(basis, neu)
    assert [a["art"] for a in bericht["regelaenderungen"]] == ["neu"]
    _pruefe_gegen_check(bericht, basis, neu, LK_OFFENBACH, "he.test.kreishinweis", {"neu"})
    _pruefe_gegen_check(bericht, basis, neu, OFFENBACH, "he.test.kreishinweis", set())
    landkreise = {w["ags"] for w in bericht["wirkungen"]}
    assert len(landkreise) == 21  # alle hessischen Landkreise, keine Stadt
    # entfernt: dieselbe Änderung in Gegenrichtung
    zurueck = _wirkung(neu, basis)
    assert [a["art"] for a in zurueck["regelaenderungen"]] == ["entfernt"]
    assert {w["ags"] for w in zurueck["wirkungen"]} == landkreise
    assert {w["aenderung"] for w in zurueck["wirkungen"]} == {"entfaellt"}


def test_aenderung_ohne_wirkung(basis, tmp_path):
    neu = _kopie(basis, tmp_path, {"he.hgo.84.auslaenderbeirat.yaml": [
        ("titel: Ausländerbeirat in Gemeinden mit mehr als 1.000 ausländischen Einwohnern",
         "titel: Ausländerbeirat (mehr als 1.000 ausländische Einwohner)")]})
    lauf = CliRunner().invoke(main, ["regeln", "wirkung", str(basis), str(neu), "--stichtag", STICHTAG])
    assert lauf.exit_code == 0, lauf.output
    assert "Keine Wirkung" in lauf.stdout and "Titel: „Ausländerbeirat in Gemeinden" in lauf.stdout
    _pruefe_gegen_check(_wirkung(basis, neu), basis, neu, OFFENBACH, "he.hgo.84.auslaenderbeirat", set())


def test_gleiche_staende(basis):
    lauf = CliRunner().invoke(main, ["regeln", "wirkung", str(basis), str(basis), "--stichtag", STICHTAG])
    assert lauf.exit_code == 0 and "Keine Regel unterscheidet sich." in lauf.stdout and "Keine Wirkung" in lauf.stdout


def test_neuer_stand_mit_fehlern_exit_1(basis, tmp_path):
    neu = _kopie(basis, tmp_path, {"he.hgo.84.auslaenderbeirat.yaml": [("      wert: 1000\n", "      wert: 3000\n")]})
    lauf = CliRunner().invoke(main, ["regeln", "wirkung", str(basis), str(neu), "--stichtag", STICHTAG])
    assert lauf.exit_code == 1
    assert "Lücke" in lauf.stdout and "besteht „regeln pruefen“ nicht" in lauf.stderr


def test_dateien(basis, tmp_path):
    neu = _kopie(basis, tmp_path, {"he.wir.vielfaltszentren.yaml": [
        ("typen: [landkreis, kreisfreie_stadt, sonderstatusstadt]", "typen: [landkreis, kreisfreie_stadt]")]})
    for endung in ("csv", "xlsx", "md", "json"):
        ziel = tmp_path / f"w.{endung}"
        lauf = CliRunner().invoke(main, ["regeln", "wirkung", str(basis), str(neu), "--stichtag", STICHTAG,
                                         "--ausgabe", str(ziel)])
        assert lauf.exit_code == 0 and ziel.exists(), lauf.output
    zeilen = list(csv.DictReader((tmp_path / "w.csv").read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert zeilen and all(z["AGS"].startswith("06") and len(z["AGS"]) == 8 for z in zeilen)
    from openpyxl import load_workbook

    mappe = load_workbook(tmp_path / "w.xlsx")
    blatt = mappe["Wirkung"]
    assert blatt["A1"].value == "AGS" and blatt["A2"].value.startswith("06") and blatt.freeze_panes == "A2"
    ags = [r[0] for r in blatt.iter_rows(min_row=2, values_only=True) if r[0] and str(r[0]).isdigit()]
    assert len(ags) == len(zeilen) and all(isinstance(a, str) for a in ags) and "Zusammenfassung" in mappe.sheetnames
    assert any(r[0] == "Stichtag" for r in blatt.iter_rows(values_only=True))  # Angaben unter der Tabelle
    markdown = (tmp_path / "w.md").read_text(encoding="utf-8")
    assert markdown.startswith("# Wirkung der Regeländerung") and "| AGS | Kommune |" in markdown


def _git(ort, *argumente):
    subprocess.run(["git", "-C", str(ort), *argumente], check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@t", "PATH": "/usr/bin:/bin"})


def test_git_revision_gegen_arbeitsbaum(basis, tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    shutil.copytree(basis, repo / "rules")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "Regeln")
    datei = repo / "rules" / "hessen" / "he.wir.vielfaltszentren.yaml"
    datei.write_text(datei.read_text(encoding="utf-8").replace(
        "typen: [landkreis, kreisfreie_stadt, sonderstatusstadt]", "typen: [landkreis, kreisfreie_stadt]"),
        encoding="utf-8")
    monkeypatch.chdir(repo)
    lauf = CliRunner().invoke(main, ["regeln", "wirkung", "--stichtag", STICHTAG])  # Standard: HEAD gegen .
    assert lauf.exit_code == 0, lauf.output
    assert "Git-Revision HEAD" in lauf.stdout and "ENTFÄLLT" in lauf.stdout and "Fulda" in lauf.stdout
    status = subprocess.run(["git", "-C", str(repo), "status", "--porcelain"], capture_output=True, text=True).stdout
    assert status.strip() == "M rules/hessen/he.wir.vielfaltszentren.yaml"  # nichts ausgecheckt oder angelegt
    falsch = CliRunner().invoke(main, ["regeln", "wirkung", "gibtesnicht", ".", "--stichtag", STICHTAG])
    assert falsch.exit_code == 2 and "weder ein Regelordner noch eine Revision" in falsch.output
    assert "Traceback" not in falsch.output
