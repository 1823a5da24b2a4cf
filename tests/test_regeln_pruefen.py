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


def _viele_oder_regeln(ordner, anzahl: int) -> None:
    """``anzahl`` Regeln, deren „eine“-Bedingung denselben ersten Zweig teilt – durable-rules hängt an den geteilten
    Knoten je Regel einen Weiterleitungsknoten, höchstens 128 (Fehler 107)."""
    basis = (KAPUTT / "sauber" / "hessen" / "kann.yaml").read_text(encoding="utf-8")
    (ordner / "kann.yaml").write_text(basis, encoding="utf-8")
    pflicht = (KAPUTT / "sauber" / "hessen" / "pflicht.yaml").read_text(encoding="utf-8")
    (ordner / "pflicht.yaml").write_text(pflicht, encoding="utf-8")
    kopf, rest = pflicht.split("versionen:\n")
    for i in range(anzahl):
        text = kopf.replace("he.test.pflicht", f"he.test.oder{i}").replace("verbindlichkeit: muss", "verbindlichkeit: muss\nvereinbar_mit: [he.test.pflicht]")
        fassung = rest.replace("    bedingung:\n      feld: auslaendische_einwohner\n      op: gt\n      wert: 1000\n",
                               "    bedingung:\n      eine:\n        - {feld: integrationskommission_gebildet, op: eq, wert: true}\n"
                               f"        - {{feld: auslaendische_einwohner, op: gt, wert: {1000 + i}}}\n", 1)
        (ordner / f"oder{i}.yaml").write_text(text + "versionen:\n" + fassung, encoding="utf-8")


def test_regelsatz_den_durable_ablehnt_ist_ein_fehler_der_pruefung(tmp_path):
    """Was regeln pruefen annimmt, wertet check aus: lehnt durable-rules einen Regelsatz ab, meldet die Prüfung es mit
    Land und Grund – statt dass check später scheitert."""
    ordner = tmp_path / "hessen"
    ordner.mkdir()
    _viele_oder_regeln(ordner, 140)
    lauf = subprocess.run([sys.executable, "-m", "cli.main", "regeln", "pruefen", str(ordner)], cwd=WURZEL,
                          capture_output=True, text=True, timeout=300)
    assert lauf.returncode == 1, lauf.stdout[-2000:] + lauf.stderr[-2000:]
    assert "Regelsatz HE" in lauf.stdout and "Fehler 107" in lauf.stdout, lauf.stdout[-2000:]
    assert "Traceback" not in lauf.stdout + lauf.stderr


def test_lange_in_liste_ist_ein_fehler_mit_fundstelle(tmp_path):
    ordner = tmp_path / "hessen"
    ordner.mkdir()
    basis = (KAPUTT / "sauber" / "hessen" / "kann.yaml").read_text(encoding="utf-8")
    (ordner / "kann.yaml").write_text(basis, encoding="utf-8")
    pflicht = (KAPUTT / "sauber" / "hessen" / "pflicht.yaml").read_text(encoding="utf-8")
    werte = ", ".join(str(i) for i in range(600))
    pflicht = pflicht.replace("      feld: auslaendische_einwohner\n      op: gt\n      wert: 1000",
                              f"      feld: auslaendische_einwohner\n      op: in\n      wert: [{werte}]")
    (ordner / "pflicht.yaml").write_text(pflicht, encoding="utf-8")
    lauf = CliRunner().invoke(main, ["regeln", "pruefen", str(ordner)])
    assert lauf.exit_code == 1
    assert "Liste hat 600 Werte" in lauf.output and "pflicht.yaml:" in lauf.output
