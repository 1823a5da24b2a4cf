"""Begrenztes Lesen (Issue 14): keine Anker/Verweise, keine unendlichen Zahlen, nur gewöhnliche Dateien bis 1 MiB,
höchstens 40 Ebenen – jeweils eine deutsche Meldung mit Fundstelle, Exit-Code 2, kein Hängen, kein Traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from engine.fehler import EingabeFehler
from engine.regeln.basis import standard_regelverzeichnis
from engine.yamlquelle import MAX_BYTES, MAX_TIEFE, lese_datei, lese_text

from .conftest import WURZEL


@pytest.mark.parametrize("text, teil", [
    ("a: &x [1, 2]\nb: *x\n", "Anker und Verweise"),
    ("a: &x {k: 1}\nb: [*x, *x]\n", "Anker und Verweise"),
    ("einwohner: .inf\n", "keine endliche Zahl"),
    ("einwohner: -.Inf\n", "keine endliche Zahl"),
    ("anteil: .nan\n", "keine endliche Zahl"),
    ("[" * (MAX_TIEFE + 5) + "]" * (MAX_TIEFE + 5), "Zu tief verschachtelt"),
    ("[" * 5000 + "]" * 5000, "erschachtelt"),
])
def test_verbotene_formen(text, teil):
    with pytest.raises(EingabeFehler) as info:
        lese_text(text, "x.yaml")
    assert teil in str(info.value) and "x.yaml:" in str(info.value)


def test_milliarde_lacher_wird_nicht_aufgeblasen():
    """Das klassische „billion laughs“: neun Ebenen je zehn Verweise. Abgelehnt beim ersten Verweis."""
    zeilen = ["a0: &a0 [x]"] + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    with pytest.raises(EingabeFehler, match="Anker und Verweise"):
        lese_text("\n".join(zeilen), "lacher.yaml")


def test_bom_wird_ueberlesen(tmp_path):
    datei = tmp_path / "bom.yaml"
    datei.write_bytes(b"\xef\xbb\xbfname: X\n")
    assert lese_datei(datei).daten == {"name": "X"}


def test_zu_grosse_datei(tmp_path):
    datei = tmp_path / "gross.yaml"
    datei.write_bytes(b"# " + b"x" * MAX_BYTES + b"\n")
    with pytest.raises(EingabeFehler, match="größer als"):
        lese_datei(datei)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="braucht mkfifo")
def test_benannte_pipe_als_profil(tmp_path):
    pipe = tmp_path / "profil.yaml"
    os.mkfifo(pipe)
    lauf = subprocess.run([sys.executable, "-m", "cli.main", "check", str(pipe)], cwd=WURZEL, capture_output=True,
                          text=True, timeout=60)
    assert lauf.returncode == 2 and "keine gewöhnliche Datei" in lauf.stderr and "Traceback" not in lauf.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="braucht mkfifo")
def test_benannte_pipe_im_regelordner(tmp_path):
    """Eine Pipe unter den Regeldateien blockiert weder den Zwischenspeicher noch die Prüfung."""
    ziel = tmp_path / "rules"
    shutil.copytree(standard_regelverzeichnis() / "saarland", ziel / "saarland",
                    ignore=shutil.ignore_patterns("__pycache__", "tests"))
    shutil.copytree(standard_regelverzeichnis() / "bund", ziel / "bund", ignore=shutil.ignore_patterns("tests"))
    os.mkfifo(ziel / "saarland" / "zz.pipe.yaml")
    lauf = subprocess.run([sys.executable, "-m", "cli.main", "regeln", "pruefen", str(ziel)], cwd=WURZEL,
                          capture_output=True, text=True, timeout=120)
    assert lauf.returncode in (1, 2) and "zz.pipe.yaml" in lauf.stdout + lauf.stderr
    assert "keine gewöhnliche Datei" in lauf.stdout + lauf.stderr and "Traceback" not in lauf.stderr


@pytest.mark.parametrize("format_", ["text", "markdown"])
def test_steuerzeichen_im_namen_erreichen_das_terminal_nicht(tmp_path, format_):
    """ANSI-Escape (Bildschirm löschen) und Bidi-Override aus einem Profilnamen erscheinen sichtbar, nicht wirksam."""
    profil = tmp_path / "p.yaml"
    profil.write_text('name: "Test\\x1b[2Jdorf \\u202eevil\\x07"\nland: HE\ntyp: gemeinde\neinwohner: 5000\n'
                      'auslaendische_einwohner: 1200\n', encoding="utf-8")
    lauf = subprocess.run([sys.executable, "-m", "cli.main", "check", str(profil), "--format", format_], cwd=WURZEL,
                          capture_output=True, text=True, timeout=60)
    assert lauf.returncode == 0, lauf.stderr
    assert "\x1b" not in lauf.stdout and "\u202e" not in lauf.stdout and "\x07" not in lauf.stdout
    assert "\\u001b" in lauf.stdout and "\\u202e" in lauf.stdout


@pytest.mark.parametrize("text, name", [
    ('{"name": "Dorf \\ud83d\\ude00"}', "Dorf \U0001f600"),  # JSON-Surrogatpaar (Emoji)
    ('{"name": "Dorf \\uD83D\\uDE00 \\u00e4"}', "Dorf \U0001f600 ä"),
    ('{"name": "Dorf \\\\ud83d\\\\ude00"}', "Dorf \\ud83d\\ude00"),  # maskierter Backslash: wörtlicher Text
    ('name: "\\U0001f600"', "\U0001f600"),
])
def test_json_surrogatpaare(text, name):
    assert lese_text(text, "p.json").daten["name"] == name


def test_einzelnes_surrogat_deutsch():
    with pytest.raises(EingabeFehler, match="einzelnes Surrogat"):
        lese_text('{"name": "Dorf \\ud83d"}', "p.json")
