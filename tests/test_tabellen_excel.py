"""Massenausgaben für Excel (Issue 22): ``batch`` und ``vergleich`` als XLSX (AGS als Text, deutsche Spalten,
fixierte fette Kopfzeile, Filter, Spaltenbreiten, Blatt mit Ergebnissen und Blatt mit Zusammenfassung); die CSV mit
Bezeichnungen statt Kennungen; ``vergleich`` mit einem Block je Regel und ehrlich „offen“ statt „neu“."""

from __future__ import annotations

import csv
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from cli.main import main

from .conftest import WURZEL

openpyxl = pytest.importorskip("openpyxl")
KENNUNG = {"auslaenderbehoerde", "unterbringung", "integrationsgremium", "beiratswahl_ausgefallen",
           "auslaenderanteil", "auslaendische_einwohner", "integrationskoordination"}


def _pruefe_blatt(blatt, erste_spalte: str) -> None:
    assert blatt.freeze_panes == "A2"
    assert blatt.auto_filter.ref and blatt.auto_filter.ref.startswith("A1:")
    assert blatt["A1"].value == erste_spalte and blatt["A1"].font.b
    assert all(blatt.column_dimensions[b].width >= 8 for b in "ABC")


@pytest.fixture(scope="module")
def saarland(tmp_path_factory):
    ordner = tmp_path_factory.mktemp("sl")
    xlsx, csv_datei = ordner / "sl.xlsx", ordner / "sl.csv"
    for ziel in (xlsx, csv_datei):
        lauf = CliRunner().invoke(main, ["batch", "--land", "SL", "--stichtag", "2026-12-01", "--ausgabe", str(ziel),
                                         "--prozesse", "1"])
        assert lauf.exit_code == 0, lauf.output
    return xlsx, csv_datei


def test_batch_xlsx_zwei_blaetter_ags_als_text(saarland):
    mappe = openpyxl.load_workbook(saarland[0])
    assert mappe.sheetnames == ["Ergebnisse", "Zusammenfassung"]
    assert mappe.properties.creator == "kommunalpflichten" and mappe.properties.language == "de-DE"
    ergebnisse, summe = mappe["Ergebnisse"], mappe["Zusammenfassung"]
    _pruefe_blatt(ergebnisse, "AGS")
    _pruefe_blatt(summe, "Land")
    assert ergebnisse["A2"].data_type == "s" and ergebnisse["A2"].value.startswith("10")
    assert ergebnisse["A2"].number_format == "@"
    kopf = [z.value for z in ergebnisse[1]]
    zeilen = [dict(zip(kopf, z)) for z in ergebnisse.iter_rows(min_row=2, values_only=True)]
    assert isinstance(zeilen[0]["Einwohner"], int)
    assert {z["Status"] for z in zeilen} <= {"gilt", "entfällt", "offen"}
    assert not {z["Gegenstand"] for z in zeilen} & KENNUNG
    summenzeilen = list(summe.iter_rows(min_row=2, values_only=True))
    assert any(z[0] == "Saarland" and z[1] == 58 for z in summenzeilen)
    assert any(z[0] == "Rechtsstand" and z[1] == "01.12.2026" for z in summenzeilen)


def test_batch_csv_und_xlsx_sagen_dasselbe_mit_bezeichnungen(saarland):
    mappe = openpyxl.load_workbook(saarland[0])
    blatt = [[("" if w is None else w.strftime("%d.%m.%Y") if hasattr(w, "strftime") else str(w)) for w in z]
             for z in mappe["Ergebnisse"].iter_rows(values_only=True)]
    tabelle = list(csv.reader(saarland[1].open(encoding="utf-8-sig"), delimiter=";"))
    assert blatt == tabelle
    kopf = tabelle[0]
    for spalte in ("Gegenstand", "Offene Fragen", "Vorbehalte"):
        werte = {w for z in tabelle[1:] for w in z[kopf.index(spalte)].split(", ") if w}
        assert not werte & KENNUNG, (spalte, werte & KENNUNG)
    fragen = {z[kopf.index("Offene Fragen")] for z in tabelle[1:]}
    assert any("Beiratswahl mangels Bewerbern ausgefallen" in f for f in fragen)


def test_batch_ausserhalb_eines_terminals_ohne_fortschrittsreste(tmp_path):
    ziel = tmp_path / "sl.csv"
    lauf = subprocess.run([sys.executable, "-m", "cli.main", "batch", "--land", "SL", "--ausgabe", str(ziel)],
                          cwd=WURZEL, capture_output=True, text=True, timeout=600)
    assert lauf.returncode == 0, lauf.stderr
    assert "Kommunen" not in lauf.stderr, lauf.stderr


def test_vergleich_xlsx_und_csv_mit_bezeichnungen(tmp_path):
    xlsx, tabelle = tmp_path / "v.xlsx", tmp_path / "v.csv"
    for ziel in (xlsx, tabelle):
        lauf = CliRunner().invoke(main, ["vergleich", "--von", "2023-06-01", "--bis", "2024-06-01", "--land", "SL",
                                         "--ausgabe", str(ziel)])
        assert lauf.exit_code == 0, lauf.output
    mappe = openpyxl.load_workbook(xlsx)
    assert mappe.sheetnames == ["Änderungen", "Zusammenfassung"]
    _pruefe_blatt(mappe["Änderungen"], "AGS")
    assert mappe["Änderungen"]["A2"].data_type == "s"
    zeilen = list(csv.reader(tabelle.open(encoding="utf-8-sig"), delimiter=";"))
    assert {z[2] for z in zeilen[1:]} == {"Saarland"}
    assert not {z[5] for z in zeilen[1:]} & {"neu", "entfallen", "geaendert", "abdeckungsbeginn"}


def test_vergleich_ein_block_je_regel_und_offen_ist_nicht_neu():
    lauf = CliRunner().invoke(main, ["vergleich", "--von", "2023-06-01", "--bis", "2024-06-01", "--land", "SL"])
    kopfzeilen = [z for z in lauf.output.splitlines() if z.endswith(")") and not z.startswith(" ") and "(sl." in z]
    titel = [z.rsplit(" (", 1)[0] for z in kopfzeilen]
    assert len(titel) == len(set(titel)) >= 3, kopfzeilen  # nicht zwei oder drei Blöcke für denselben Titel
    block = lauf.output.split("(sl.ksvg.50.freiwillig)")[1].split("\n\n")[0]
    assert "kommen neu hinzu" not in block  # an der Schwelle ist es offen, nicht neu
    assert "neu offen" in block and re.search(r"\n      100\d{5}  ", block)
