"""Die Kommandozeile spricht Deutsch – auch click's Rahmen, Bereichsangaben und pydantic-Meldungen; Datumsangaben
deutsch oder ISO; kein Traceback, Exit-Code 2."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from cli.main import main
from engine.datum import lies_datum

from .conftest import WURZEL

ENGLISCH = re.compile(r"Usage:|Error:|Invalid value|Missing (option|argument)|No such|Did you mean|is not|Try '|"
                      r"Options:|Commands:|\[OPTIONS\]|COMMAND|x>=|validation error|errors\.pydantic|Traceback")


def rufe(*args: str):
    return CliRunner().invoke(main, list(args), prog_name="kommunalpflichten")


@pytest.mark.parametrize("args", [
    ["chek"],
    ["check", "--bla"],
    ["check", "--ags"],
    ["check", "a.yaml", "b.yaml"],
    ["check", "--ags", "06413000", "--format", "xml"],
    ["check", "--ags", "06413000", "--einwohner", "abc"],
    ["check", "--ags", "06413000", "--einwohner", "0"],
    ["check", "--ags", "06413000", "--einwohner", "99999999999999999999"],
    ["check", "--ags", "06413000", "--einwohner", "10", "--auslaendische-einwohner", "20"],
    ["check", "--ags", "06413000", "--stichtag", "2023-13-01"],
    ["check", "--ags", "06413000", "--stichtag", "01.06.23"],
    ["check", "--ags", "06413000", "--stichtag", "9999-12-31"],
    ["check", "--ags", "06413000", "--merkmal", "gibtsnicht=ja"],
    ["batch"],
    ["batch", "--prozesse", "99", "--ausgabe", "x.csv"],
    ["regeln", "zeigen"],
    ["regeln", "gibtsnicht"],
])
def test_fehler_sind_deutsch(args):
    lauf = rufe(*args)
    assert lauf.exit_code == 2, lauf.output
    assert not ENGLISCH.search(lauf.output), lauf.output
    assert "Fehler" in lauf.output or "fehler" in lauf.output


@pytest.mark.parametrize("args", [["--help"], ["check", "--help"], ["batch", "--help"], ["regeln", "--help"],
                                  ["regeln", "pruefen", "--help"]])
def test_hilfe_ist_deutsch(args):
    lauf = rufe(*args)
    assert lauf.exit_code == 0
    assert "Aufruf: kommunalpflichten" in lauf.output and "Optionen:" in lauf.output
    assert not ENGLISCH.search(lauf.output), lauf.output


def test_als_modul_heisst_das_programm_kommunalpflichten():
    lauf = subprocess.run([sys.executable, "-m", "cli.main", "chek"], cwd=WURZEL, capture_output=True, text=True)
    assert lauf.returncode == 2 and "Hilfe: „kommunalpflichten --help“" in lauf.stderr


@pytest.mark.parametrize("text, datum", [
    ("2023-06-01", dt.date(2023, 6, 1)), ("01.06.2023", dt.date(2023, 6, 1)), ("1.6.2023", dt.date(2023, 6, 1)),
    (" 01. 06. 2023 ", dt.date(2023, 6, 1)), ("29.02.2024", dt.date(2024, 2, 29)),
])
def test_datum_deutsch_und_iso(text, datum):
    assert lies_datum(text) == datum


@pytest.mark.parametrize("text, teil", [
    ("29.02.2023", "gibt es nicht"), ("01.06.23", "vierstellig"), ("2023/06/01", "kein Datum"),
    ("9999-12-31", "außerhalb"), ("01.01.1899", "außerhalb"), ("", "kein Datum"), ("0001-01-01", "außerhalb"),
])
def test_datum_fehler(text, teil):
    with pytest.raises(ValueError, match=teil):
        lies_datum(text)


def test_stichtag_deutsch_auf_der_kommandozeile():
    a = rufe("check", "--ags", "6413000", "--stichtag", "01.06.2023", "--format", "json")
    b = rufe("check", "--ags", "06413000", "--stichtag", "2023-06-01", "--format", "json")
    assert a.exit_code == 0 and a.output == b.output


def test_beispiele_fuer_merkmal_nennen_bekannte_merkmale():
    """Jedes ``--merkmal NAME=…`` in Hilfetexten, README und Dokumentation nennt ein Merkmal, das es gibt (ein
    Beispiel aus der Hilfe von ``regeln wirkung`` führte zu „unbekanntes Merkmal“)."""
    from engine.felder import MERKMALE

    dateien = [*sorted((WURZEL / "cli").glob("*.py")), WURZEL / "README.md", *sorted((WURZEL / "docs").glob("*.md"))]
    genannt = {(d.name, name) for d in dateien
               for name in re.findall(r"--merkmal[ =]([a-z_]+)=", d.read_text(encoding="utf-8"))}
    assert genannt, "keine Beispiele gefunden – Muster prüfen"
    assert [(d, n) for d, n in sorted(genannt) if n not in MERKMALE] == []
