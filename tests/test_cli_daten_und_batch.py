"""CLI: check --ags / --name, mehrdeutige und unbekannte Namen, eigene Zahlen, batch mit Zusammenfassung."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from cli.main import main

from .conftest import WURZEL


def rufe(*args: str):
    return CliRunner().invoke(main, list(args))


def test_check_ags_nennt_quelle_stichtag_und_lizenz():
    lauf = rufe("check", "--ags", "06413000", "--stichtag", "2025-06-01")
    assert lauf.exit_code == 0, lauf.output
    assert "Offenbach am Main – kreisfreie Stadt, Hessen (AGS 06413000)" in lauf.output
    assert "Zensus 2022" in lauf.output and "Bevölkerung 31.12.2023" in lauf.output
    assert "Datenlizenz Deutschland – Namensnennung 2.0" in lauf.output
    assert "(Spanne " in lauf.output


def test_check_kreis_ueber_ags_und_name():
    ags = json.loads(rufe("check", "--ags", "06438", "--format", "json").output)
    name = json.loads(rufe("check", "--name", "Landkreis Offenbach", "--format", "json").output)
    assert ags["kommune"]["typ"] == "landkreis" and ags["kommune"]["ags"] == "06438"
    assert name["kommune"]["ags"] == "06438"
    assert ags["kommune"]["spannen"]["auslaendische_einwohner"]["von"] <= ags["kommune"]["auslaendische_einwohner"]


def test_mehrdeutiger_name_listet_kandidaten_exit_2():
    lauf = subprocess.run([sys.executable, "-m", "cli.main", "check", "--name", "Neustadt"], cwd=WURZEL,
                          capture_output=True, text=True)
    assert lauf.returncode == 2 and "Traceback" not in lauf.stderr
    assert "nicht eindeutig" in lauf.stderr and "--ags" in lauf.stderr
    assert "Rheinland-Pfalz" in lauf.stderr and "Kreis" in lauf.stderr


@pytest.mark.parametrize("args, text", [
    (["--name", "Atlantis an der Spree"], "Keine Gemeinde"),
    (["--ags", "99999999"], "keine Gemeinde"),
    (["--ags", "12ab"], "kein Amtlicher Gemeindeschlüssel"),
])
def test_unbekannt_exit_2(args, text):
    lauf = subprocess.run([sys.executable, "-m", "cli.main", "check", *args], cwd=WURZEL, capture_output=True, text=True)
    assert lauf.returncode == 2 and text in lauf.stderr and "Traceback" not in lauf.stderr


def test_genau_eine_quelle():
    assert rufe("check").exit_code == 2
    assert rufe("check", "--ags", "06413000", "--name", "Köln").exit_code == 2


def test_eigene_zahlen_ueberschreiben_und_werden_genannt():
    daten = json.loads(rufe("check", "--ags", "06413000", "--einwohner", "140000", "--auslaendische-einwohner", "900",
                            "--format", "json").output)
    assert daten["kommune"]["einwohner"] == 140000 and daten["kommune"]["auslaendische_einwohner"] == 900
    assert "eigene Angabe" in daten["kommune"]["quelle"]
    assert daten["kommune"]["spannen"] is None
    assert "he.hgo.84.auslaenderbeirat" not in {e["regel"] for e in daten["ergebnisse"]}


def test_eigene_zahlen_unstimmig_exit_2():
    lauf = rufe("check", "--ags", "06413000", "--einwohner", "10", "--auslaendische-einwohner", "20")
    assert lauf.exit_code == 2 and "passen nicht" in lauf.output


def test_batch_saarland_csv_und_zusammenfassung(tmp_path):
    ziel = tmp_path / "sl.csv"
    lauf = rufe("batch", "--land", "SL", "--stichtag", "2025-06-01", "--ausgabe", str(ziel))
    assert lauf.exit_code == 0, lauf.output
    assert "Kommunen ausgewertet" in lauf.output and "SL:" in lauf.output
    assert "Integrationsbeirat" in lauf.output and "Datenlizenz" in lauf.output
    zeilen = list(csv.DictReader(ziel.open(encoding="utf-8-sig"), delimiter=";"))
    assert {z["Land"] for z in zeilen} == {"Saarland"}
    assert {z["Status"] for z in zeilen} <= {"gilt", "entfällt", "offen"}
    assert all(z["AGS"].startswith("10") for z in zeilen)
    assert not list(tmp_path.glob(".sl.csv.*")), "keine temporären Reste"


def test_batch_jsonl_mit_typfilter(tmp_path):
    ziel = tmp_path / "kreise.jsonl"
    lauf = rufe("batch", "--typ", "landkreis", "--land", "HE", "--ausgabe", str(ziel))
    assert lauf.exit_code == 0, lauf.output
    zeilen = [json.loads(z) for z in ziel.read_text(encoding="utf-8").splitlines()]
    assert len(zeilen) == 21 and all(z["kommune"]["typ"] == "landkreis" for z in zeilen)
    assert all(z["schema_version"] and "von" in z["kommune"]["spannen"]["auslaendische_einwohner"] for z in zeilen)


def test_batch_falsche_angaben(tmp_path):
    assert rufe("batch", "--land", "XX", "--ausgabe", str(tmp_path / "a.csv")).exit_code == 2
    assert rufe("batch", "--ausgabe", str(tmp_path / "a.txt")).exit_code == 2
    assert rufe("batch", "--ausgabe", str(tmp_path / "fehlt" / "a.csv")).exit_code == 2


def test_zwischenspeicher_aendert_kein_ergebnis(regelbasis, durable):
    """Der kanonische Zwischenspeicher der Massenauswertung (Inferenzen je kanonischem Fakt, Urteile je Klasse des Plans)
    liefert für jede Kommune dasselbe wie die Einzelauswertung – Status, Fassung, offene Fragen und Vorbehalte."""
    import datetime as dt

    from engine.kommunen.daten import alle
    from engine.auswertung.massen import bewerte

    cache: dict = {}
    for tag in (dt.date(2020, 5, 15), dt.date(2023, 12, 21), dt.date(2025, 6, 1)):
        for d in alle()[::7]:
            k = d.profil()
            mit = bewerte(k, tag, regelbasis, durable, cache)
            ohne = bewerte(k, tag, regelbasis, durable, None)
            assert (mit.ergebnisse, mit.offen, mit.vorbehalte) == (ohne.ergebnisse, ohne.offen, ohne.vorbehalte), (d.ags, tag)
    assert sum(1 for s in cache if s[0] == "urteil") < len(alle()[::7]) * 3  # geteilt: weniger Urteile als Pläne


def test_urteile_je_klasse_aendern_keinen_bericht(regelbasis, durable):
    """Auch die Berichte (JSON-Vertrag mit Begründungen und Demnächst) sind mit geteilten Urteilen dieselben – darunter
    Kommunen, deren Spanne eine Schwelle überdeckt (offene Fragen zu Zahlen)."""
    import datetime as dt

    from engine.ausgabe.json_vertrag import bericht_json
    from engine.auswertung.bericht import erstelle_bericht
    from engine.kommunen.daten import alle

    cache: dict = {}
    tag = dt.date(2025, 6, 1)
    unbestimmt = 0
    for d in alle()[::13]:
        k = d.profil(tag)
        mit = bericht_json(erstelle_bericht(k, tag, regelbasis, durable, cache))
        ohne = bericht_json(erstelle_bericht(k, tag, regelbasis, durable, None))
        assert mit == ohne, d.ags
        unbestimmt += any(e["status"] == "unbestimmt" and e["offen"] for e in mit["ergebnisse"])
    assert unbestimmt > 20
