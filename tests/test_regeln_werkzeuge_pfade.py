"""``regeln testen DIR`` und ``regeln pruefen DIR`` arbeiten auf DIR – nicht auf den mitgelieferten Regeln – und sagen,
welche Regeln sie benutzt haben. Ohne Pfad in einem Checkout: die Regeln des Arbeitsbaums."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from engine.regeln.basis import standard_regelverzeichnis
from engine.regeln.quelle import ist_regelwurzel, regelquelle, regelquelle_fuer_tests, wurzel_zu

from .conftest import WURZEL


@pytest.fixture
def kopie(tmp_path):
    """Eine Kopie der Regelbasis, in der die hessische Schwelle 1.000 auf 100.000 geändert ist."""
    ziel = tmp_path / "rules"
    shutil.copytree(standard_regelverzeichnis(), ziel, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    datei = ziel / "hessen" / "he.hgo.84.auslaenderbeirat.yaml"
    text = datei.read_text(encoding="utf-8")
    assert "      wert: 1000\n" in text
    datei.write_text(text.replace("      wert: 1000\n", "      wert: 100000\n", 1), encoding="utf-8")
    return ziel


def rufe(*args, cwd=WURZEL):
    return subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def test_testen_auf_der_kopie_findet_die_geaenderte_schwelle(kopie):
    lauf = rufe("regeln", "testen", str(kopie))
    assert lauf.returncode == 1, lauf.stdout[-2000:]
    assert f"Regeln: {kopie}" in lauf.stderr
    assert "he.hgo.84.auslaenderbeirat" in lauf.stdout and "FEHL" in lauf.stdout.upper()


def test_testen_eines_laenderordners_nimmt_die_regelbasis_darueber(kopie):
    lauf = rufe("regeln", "testen", str(kopie / "hessen"))
    assert lauf.returncode == 1
    assert f"Regeln: {kopie} –" in lauf.stderr
    assert "/hessen/tests/" in lauf.stdout and "/nordrhein-westfalen/" not in lauf.stdout


def test_testen_einer_testdatei_gegen_ausdrueckliche_regeln(kopie):
    test = kopie / "hessen" / "tests" / "integrationsgremium.yaml"
    assert rufe("regeln", "testen", str(test)).returncode == 1
    lauf = rufe("regeln", "testen", str(test), "--regeln", str(standard_regelverzeichnis()))
    assert lauf.returncode == 0, lauf.stdout[-2000:]
    assert "Regeln: " + str(standard_regelverzeichnis()) in lauf.stderr


def test_unveraenderte_kopie_besteht(tmp_path):
    ziel = tmp_path / "rules"
    shutil.copytree(standard_regelverzeichnis(), ziel, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    lauf = rufe("regeln", "testen", str(ziel / "saarland"))
    assert lauf.returncode == 0, lauf.stdout[-2000:]


def test_pruefen_auf_der_kopie_sieht_den_widerspruch_zum_wortlaut(kopie):
    """Der Wortlaut sagt „mehr als 1.000“, die Bedingung 100.000: ``regeln pruefen`` auf der Kopie merkt es."""
    lauf = rufe("regeln", "pruefen", str(kopie), "--ohne-fortschritt")
    assert lauf.returncode == 1
    assert "he.hgo.84.auslaenderbeirat.yaml" in lauf.stdout and "100000" in lauf.stdout
    assert f"Regeln: {kopie}" in lauf.stderr


def test_ohne_pfad_im_checkout_der_arbeitsbaum(kopie):
    """In einem Checkout (./rules) prüft ``regeln pruefen`` ohne Pfad dessen Regeln und sagt es."""
    lauf = rufe("regeln", "pruefen", "--ohne-fortschritt", cwd=kopie.parent)
    assert lauf.returncode == 1 and f"Regeln: Arbeitsverzeichnis {kopie}" in lauf.stderr


def test_fortschritt_nennt_die_abschnitte():
    lauf = rufe("regeln", "pruefen", "--fortschritt")
    assert lauf.returncode == 0, lauf.stdout
    assert "durable-rules: Regelsätze" in lauf.stderr and "s]" in lauf.stderr


def test_regelquelle_ausserhalb_eines_checkouts(tmp_path):
    q = regelquelle(None, tmp_path)
    assert q.pfade == [standard_regelverzeichnis()] and "mitgeliefert" in q.beschreibung


def test_wurzel_eines_fremden_ordners_ist_er_selbst(tmp_path):
    (tmp_path / "meine").mkdir()
    (tmp_path / "meine" / "x.yaml").write_text("id: x\n")
    assert not ist_regelwurzel(tmp_path / "meine")
    assert wurzel_zu(tmp_path / "meine") == tmp_path / "meine"
    assert regelquelle_fuer_tests([tmp_path / "meine"], None).pfade == [tmp_path / "meine"]
