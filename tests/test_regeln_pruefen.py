"""``regeln pruefen`` auf absichtlich kaputten Regeldateien: jeder Befund an der richtigen Stelle, richtiger Exit-Code."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from cli.main import main

from .conftest import FIXTURES, WURZEL

KAPUTT = FIXTURES / "regeln_kaputt"

# Fall → (Datei, Zeile, Spalte, Textstück) eines Befunds, der erscheinen muss
ERWARTET = {
    "unbekanntes_feld": ("pflicht.yaml", 9, 1, "Feld „farbe“: Unbekanntes Feld."),
    "fehlendes_feld": ("pflicht.yaml", 2, 1, "Feld „titel“: Pflichtfeld fehlt."),
    "falscher_typ": ("pflicht.yaml", 15, 7, "wert muss eine ganze Zahl ≥ 0 sein"),
    "falsches_datum": ("pflicht.yaml", 11, 17, "„2020-02-30“ ist kein gültiges Datum"),
    "falsche_url": ("pflicht.yaml", 19, 7, "Feld „versionen[0].zitat.url“: Hat nicht die erwartete Form"),
    "doppelte_id": ("pflicht.yaml", 2, 1, "Die id „he.test.pflicht“ ist schon in"),
    "doppelter_schluessel": ("pflicht.yaml", 6, 1, "Schlüssel „art“ ist doppelt vorhanden"),
    "kaputtes_yaml": ("pflicht.yaml", 4, 6, "kein gültiges YAML/JSON"),
    "objekt_tag": ("pflicht.yaml", 4, 8, "ist nicht erlaubt"),
    "falscher_ordner": ("pflicht.yaml", 3, 1, "liegt im Ordner „hessen“ (HE), die Regel nennt aber land: NW"),
    "unbekannte_ausnahme_ziel": ("ausnahme.yaml", 6, 15, "unbekannte Regel „he.test.gibtesnicht“"),
    "zyklus": ("zweite.yaml", 2, 1, "Zyklus zwischen Regeln: he.test.pflicht → he.test.zweite → he.test.pflicht"),
    "unbekanntes_merkmal": ("pflicht.yaml", 13, 7, "Unbekanntes Feld „anzahl_moscheen“"),
    "fehlender_wortlaut_und_inhalt": ("pflicht.yaml", 16, 5,
                                      "Feld „versionen[0].zitat“: Ein Zitat braucht wortlaut (wörtlicher Normtext) oder inhalt"),
    "operator_passt_nicht": ("pflicht.yaml", 14, 7, "Operator gte passt nicht zum Wortlaut"),
    "versionen_ueberlappen": ("pflicht.yaml", 19, 5, "überschneidet sich mit der vorigen"),
    "bis_vor_ab": ("pflicht.yaml", 12, 5, "Das Ende (31.12.2019) liegt vor dem Beginn (01.01.2020)"),
    "luecke_ohne_begruendung": ("pflicht.yaml", 23, 5, "liegen 365 Tage ohne Fassung"),
    "luecke": ("pflicht.yaml", 10, 1, "Lücke: keine Aussage zu „integrationsgremium“"),
    "ueberschneidung": ("kann.yaml", 2, 1, "Überschneidung: „he.test.kann“ (kann) und „he.test.pflicht“ (muss)"),
    "unerreichbar": ("tot.yaml", 11, 5, "Unerreichbar: Die Fassung 0 von „he.test.tot“"),
}


def test_jeder_kaputte_fall_hat_eine_erwartung():
    faelle = {p.name for p in KAPUTT.iterdir() if p.is_dir()} - {"sauber"}
    assert faelle == set(ERWARTET)


@pytest.mark.parametrize("fall", sorted(ERWARTET))
def test_befund_an_der_richtigen_stelle(fall):
    datei, zeile, spalte, text = ERWARTET[fall]
    lauf = CliRunner().invoke(main, ["regeln", "pruefen", str(KAPUTT / fall)])
    assert lauf.exit_code == 1, lauf.output
    erwartet = f"{KAPUTT / fall / 'hessen' / datei}:{zeile}:{spalte}: fehler:"
    treffer = [z for z in lauf.output.splitlines() if z.startswith(erwartet)]
    assert treffer, f"{erwartet} nicht in:\n{lauf.output}"
    assert any(text in z for z in treffer), treffer
    assert all("Traceback" not in z for z in lauf.output.splitlines())


def test_gegenbeispiele_lassen_sich_als_test_einfuegen():
    lauf = CliRunner().invoke(main, ["regeln", "pruefen", str(KAPUTT / "luecke")])
    zeile = next(z for z in lauf.output.splitlines() if "Gegenbeispiel" in z)
    assert "stichtag: 2020-01-01, profil: {land: HE, typ:" in zeile and "auslaendische_einwohner: 0" in zeile


def test_saubere_dateien_exit_0():
    lauf = CliRunner().invoke(main, ["regeln", "pruefen", str(KAPUTT / "sauber")])
    assert lauf.exit_code == 0, lauf.output


def test_mitgelieferte_regeln_sind_sauber():
    lauf = subprocess.run([sys.executable, "-m", "cli.main", "regeln", "pruefen"], cwd=WURZEL, capture_output=True, text=True)
    assert lauf.returncode == 0, lauf.stdout + lauf.stderr
    assert lauf.stdout == ""


def test_nicht_ausfuehrbar_exit_2(tmp_path):
    lauf = CliRunner().invoke(main, ["regeln", "pruefen", str(tmp_path / "gibtesnicht")])
    assert lauf.exit_code == 2


def test_zu_grosser_regelsatz_scheitert_an_der_pruefung_nicht_in_produktion(tmp_path):
    """durable-rules hängt ab 512 Regeln je Regelsatz; die Prüfung meldet das vorher."""
    ordner = tmp_path / "hessen"
    ordner.mkdir()
    basis = (KAPUTT / "sauber" / "hessen" / "kann.yaml").read_text(encoding="utf-8")
    (ordner / "kann.yaml").write_text(basis, encoding="utf-8")
    pflicht = (KAPUTT / "sauber" / "hessen" / "pflicht.yaml").read_text(encoding="utf-8")
    kopf, versionen = pflicht.split("versionen:\n")
    fassung = versionen.replace("  - gueltig_ab: 2020-01-01\n", "")
    teile = []
    import datetime as dt

    for i in range(510):
        tag = dt.date(1500, 1, 1) + dt.timedelta(days=i)
        teile.append(f"  - gueltig_ab: {tag.isoformat()}\n    gueltig_bis: {tag.isoformat()}\n" + fassung)
    (ordner / "pflicht.yaml").write_text(kopf + "versionen:\n" + "".join(teile), encoding="utf-8")
    lauf = CliRunner().invoke(main, ["regeln", "pruefen", str(ordner)])
    assert "durable-rules-Regeln; erlaubt sind höchstens 500" in lauf.output, lauf.output[-3000:]
