"""batch: Formate der Ergebnisdatei (deutsches Excel-CSV, internationales CSV, JSONL im check-Vertrag) und sicheres
Schreiben – nie eine halbe Datei, Rechte und Links bleiben erhalten, Abbruch lässt die alte Datei stehen."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from cli.main import main
from engine.ausgabe.dateien import Abgebrochen, AtomareDatei, DateiFehler

from .conftest import WURZEL


def rufe(*args: str):
    return CliRunner().invoke(main, list(args))


def test_deutsches_csv_fuer_excel(tmp_path):
    ziel = tmp_path / "sl.csv"
    lauf = rufe("batch", "--land", "SL", "--typ", "landkreis", "--stichtag", "2025-06-01", "--ausgabe", str(ziel))
    assert lauf.exit_code == 0, lauf.output
    roh = ziel.read_bytes()
    assert roh.startswith(b"\xef\xbb\xbf"), "UTF-8 mit BOM, damit Excel Umlaute richtig zeigt"
    assert b"\r\n" in roh
    zeilen = list(csv.DictReader(roh.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert zeilen and {"AGS", "Name", "Norm", "Status", "Höchstbetrag (Euro)", "Rechtsstand geprüft am"} <= set(zeilen[0])
    assert all(z["Stichtag"] == "01.06.2025" for z in zeilen)
    assert {z["Kommunaltyp"] for z in zeilen} == {"Landkreis"}


def test_internationales_csv_wie_bisher(tmp_path):
    ziel = tmp_path / "sl.csv"
    lauf = rufe("batch", "--land", "SL", "--typ", "landkreis", "--format", "csv-international", "--ausgabe", str(ziel))
    assert lauf.exit_code == 0, lauf.output
    roh = ziel.read_bytes()
    assert not roh.startswith(b"\xef\xbb\xbf")
    zeilen = list(csv.DictReader(roh.decode("utf-8").splitlines()))
    assert zeilen and zeilen[0]["land"] == "SL" and "hoechstbetrag_jahr" in zeilen[0]


def test_jsonl_ist_der_check_vertrag(tmp_path):
    """Jede Zeile ist genau das Dokument von ``check --format json`` für dieselbe Kommune."""
    ziel = tmp_path / "hb.jsonl"
    lauf = rufe("batch", "--land", "HB", "--stichtag", "2025-06-01", "--ausgabe", str(ziel), "--prozesse", "1")
    assert lauf.exit_code == 0, lauf.output
    zeilen = [json.loads(z) for z in ziel.read_text(encoding="utf-8").splitlines()]
    assert len(zeilen) == 2
    for zeile in zeilen:
        einzeln = rufe("check", "--ags", zeile["kommune"]["ags"], "--stichtag", "2025-06-01", "--format", "json")
        assert json.loads(einzeln.output) == zeile


def test_mehrere_prozesse_gleiche_datei(tmp_path):
    """Mit drei Arbeitsprozessen dieselbe Datei – im eigenen Kindprozess, denn der Testprozess hat Fäden (dort
    rechnet ``bewerte_alle`` absichtlich ohne fork, siehe unten)."""
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    assert rufe("batch", "--land", "RP", "--stichtag", "2025-06-01", "--prozesse", "1", "--ausgabe", str(a)).exit_code == 0
    lauf = subprocess.run([sys.executable, "-m", "cli.main", "batch", "--land", "RP", "--stichtag", "2025-06-01",
                           "--prozesse", "3", "--ausgabe", str(b)], cwd=WURZEL, capture_output=True, text=True,
                          timeout=300)
    assert lauf.returncode == 0, lauf.stderr
    assert a.read_bytes() == b.read_bytes()


def test_mit_faeden_ohne_fork(monkeypatch):
    """fork() aus einem Prozess mit Fäden kann im Kind hängen (Python 3.13 warnt): dann rechnet ``bewerte_alle`` im
    eigenen Prozess, mit derselben Ausgabe wie mit einem Prozess."""
    import datetime as dt
    import multiprocessing
    import threading

    from engine.auswertung import massen
    from engine.kommunen.daten import alle
    from engine.regeln.basis import lade_regelbasis

    regelbasis = lade_regelbasis()
    daten = [d for d in alle() if d.land == "SL"]

    def formatierer(kommune, stichtag, regelbasis, auswerter, speicher):
        zeile = massen.bewerte(kommune, stichtag, regelbasis, auswerter, speicher)
        return [(rid, s.value) for rid, s, _ in zeile.ergebnisse], kommune.ags

    halt = threading.Event()
    faden = threading.Thread(target=halt.wait, daemon=True)
    faden.start()
    try:
        assert not massen.einfaedig()

        def kein_fork(*args, **kwargs):
            raise AssertionError("fork aus einem Prozess mit Fäden")

        monkeypatch.setattr(multiprocessing, "get_context", kein_fork)
        mit_faeden = list(massen.bewerte_alle(daten, dt.date(2025, 6, 1), regelbasis, formatierer, prozesse=2))
    finally:
        halt.set()
        faden.join()
    monkeypatch.undo()
    einzeln = list(massen.bewerte_alle(daten, dt.date(2025, 6, 1), regelbasis, formatierer, prozesse=1))
    assert mit_faeden == einzeln and len(einzeln) == len(daten)


def test_die_cli_ist_beim_fork_einfaedig():
    """Der Prozess der CLI hat beim Start der Arbeitsprozesse keine Fäden – dort wird wirklich verteilt."""
    lauf = subprocess.run([sys.executable, "-c", "from engine.auswertung import massen; "
                           "import engine.auswertung.durable, engine.kommunen.daten; print(massen.einfaedig())"],
                          cwd=WURZEL, capture_output=True, text=True, timeout=60)
    assert lauf.stdout.strip() == "True", lauf.stderr


def test_format_ohne_passende_endung(tmp_path):
    ziel = tmp_path / "ergebnis.txt"
    assert rufe("batch", "--land", "HB", "--ausgabe", str(ziel)).exit_code == 2
    lauf = rufe("batch", "--land", "HB", "--format", "jsonl", "--ausgabe", str(ziel))
    assert lauf.exit_code == 0 and ziel.read_text(encoding="utf-8").startswith("{")


def test_rechte_der_ersetzten_datei_bleiben(tmp_path):
    ziel = tmp_path / "hb.csv"
    ziel.write_text("alt")
    os.chmod(ziel, 0o640)
    assert rufe("batch", "--land", "HB", "--ausgabe", str(ziel)).exit_code == 0
    assert ziel.stat().st_mode & 0o777 == 0o640 and ziel.read_text(encoding="utf-8-sig").startswith("AGS")


def test_neue_datei_folgt_der_umask(tmp_path):
    alt = os.umask(0o027)
    try:
        with AtomareDatei(tmp_path / "neu.txt") as f:
            f.write("x")
    finally:
        os.umask(alt)
    assert (tmp_path / "neu.txt").stat().st_mode & 0o777 == 0o640


def test_link_bleibt_link(tmp_path):
    echt = tmp_path / "echt.csv"
    echt.write_text("alt")
    link = tmp_path / "link.csv"
    link.symlink_to(echt)
    assert rufe("batch", "--land", "HB", "--ausgabe", str(link)).exit_code == 0
    assert link.is_symlink() and echt.read_text(encoding="utf-8-sig").startswith("AGS")


def test_fehler_mitten_im_schreiben_laesst_alte_datei(tmp_path):
    ziel = tmp_path / "a.csv"
    ziel.write_text("alt")
    with pytest.raises(RuntimeError):
        with AtomareDatei(ziel) as f:
            f.write("neu, aber unvollständig")
            raise RuntimeError("mittendrin")
    assert ziel.read_text() == "alt"
    assert os.listdir(tmp_path) == ["a.csv"], "keine temporären Reste"


def test_strg_c_wird_zu_abgebrochen(tmp_path):
    ziel = tmp_path / "a.csv"
    with pytest.raises(Abgebrochen) as info:
        with AtomareDatei(ziel) as f:
            f.write("halb")
            raise KeyboardInterrupt
    assert info.value.exit_code == 130 and not ziel.exists() and os.listdir(tmp_path) == []


@pytest.mark.parametrize("ziel, teil", [("fehlt/a.csv", "existiert nicht"), (".", "Verzeichnis")])
def test_unschreibbare_ziele_deutsch(tmp_path, ziel, teil):
    with pytest.raises(DateiFehler) as info:
        with AtomareDatei(tmp_path / ziel):
            pass
    assert teil in str(info.value)


@pytest.mark.skipif(os.geteuid() == 0, reason="root darf überall schreiben")
def test_schreibgeschuetztes_verzeichnis(tmp_path):
    ordner = tmp_path / "zu"
    ordner.mkdir()
    os.chmod(ordner, 0o500)
    try:
        lauf = rufe("batch", "--land", "HB", "--ausgabe", str(ordner / "a.csv"))
    finally:
        os.chmod(ordner, 0o700)
    assert lauf.exit_code == 2 and "keine Schreibrechte" in lauf.output and "Traceback" not in lauf.output


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="braucht /dev/full")
def test_volle_platte(tmp_path):
    """Auf /dev/full schlägt jedes Schreiben mit ENOSPC fehl – Meldung deutsch, kein Traceback. Ein Gerät wird direkt
    beschrieben und nie ersetzt (auch nicht als root)."""
    link = tmp_path / "voll.csv"
    link.symlink_to("/dev/full")
    lauf = subprocess.run([sys.executable, "-m", "cli.main", "batch", "--land", "HB", "--ausgabe", str(link)],
                          cwd=WURZEL, capture_output=True, text=True, timeout=120)
    assert lauf.returncode == 2 and "Traceback" not in lauf.stderr, lauf.stderr
    assert "kein Platz mehr auf dem Datenträger" in lauf.stderr and "voll.csv" in lauf.stderr
    assert os.path.exists("/dev/full") and not os.path.isfile("/dev/full")


def test_ausgabe_auf_stdout(tmp_path):
    """``--ausgabe /dev/stdout`` schreibt in die Pipe (für ``| head``), ohne etwas zu ersetzen."""
    lauf = subprocess.run([sys.executable, "-m", "cli.main", "batch", "--land", "HB", "--format", "jsonl",
                           "--ausgabe", "/dev/stdout"], cwd=WURZEL, capture_output=True, text=True, timeout=120)
    assert lauf.returncode == 0, lauf.stderr
    assert lauf.stdout.startswith("{") and "Kommunen ausgewertet" in lauf.stdout


@pytest.mark.parametrize("verzug", [0.0, 0.4])
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_abbruch_mitten_in_der_auswertung(tmp_path, signum, verzug):
    """Ein echter Lauf über ganz Deutschland, unterbrochen – gleich beim Start der Arbeitsprozesse oder mitten in der
    Auswertung: Exit 130, alte Datei unverändert, keine temporären Dateien, keine verwaisten Arbeitsprozesse (ein
    verwaister Prozess hielte die Ausgabe-Pipe offen, ``communicate`` liefe in die Frist)."""
    ziel = tmp_path / "de.jsonl"  # JSONL dauert ein Mehrfaches von CSV: der Lauf endet nicht vor dem Signal
    ziel.write_text("alt")
    ablage = tmp_path / "tmp"  # TMPDIR: dort legen die Arbeitsprozesse ihre Pakete ab
    ablage.mkdir()
    prozess = subprocess.Popen([sys.executable, "-m", "cli.main", "batch", "--prozesse", "2", "--ausgabe", str(ziel)],
                               cwd=WURZEL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "KOMMUNALPFLICHTEN_CACHE": "aus", "TMPDIR": str(ablage)})
    # warten, bis die Auswertung läuft (temporäre Datei angelegt)
    frist = time.monotonic() + 60
    while time.monotonic() < frist and not [n for n in os.listdir(tmp_path) if n.endswith(".tmp")]:
        time.sleep(0.02)
    time.sleep(verzug)
    assert prozess.poll() is None, prozess.communicate()
    prozess.send_signal(signum)
    _, fehler = prozess.communicate(timeout=60)
    assert prozess.returncode == 130, fehler
    assert "Abgebrochen" in fehler and "Traceback" not in fehler
    assert ziel.read_text() == "alt"
    assert sorted(os.listdir(tmp_path)) == ["de.jsonl", "tmp"] and os.listdir(ablage) == []  # auch keine Pakete
    verwaist = [p for p in os.listdir("/proc") if p.isdigit() and _befehlszeile(p).count(str(ziel))]
    assert not verwaist


def _kinder(pid: int) -> list[int]:
    """Die Kindprozesse von ``pid`` (aus /proc/*/stat, Feld 4: die Eltern-PID)."""
    kinder = []
    for eintrag in os.listdir("/proc"):
        if eintrag.isdigit():
            try:
                with open(f"/proc/{eintrag}/stat", encoding="utf-8", errors="replace") as datei:
                    felder = datei.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(felder[1]) == pid:
                kinder.append(int(eintrag))
    return kinder


def test_gestorbener_arbeitsprozess_bricht_ab_statt_zu_haengen(tmp_path):
    """Beendet das System einen Arbeitsprozess (hier SIGKILL wie vom OOM-Killer), wartete ``imap`` für immer auf sein
    Ergebnis. Jetzt: Abbruch mit deutscher Meldung und Exit-Code 3, alte Datei unverändert, keine Pakete übrig."""
    ziel = tmp_path / "de.jsonl"
    ziel.write_text("alt")
    ablage = tmp_path / "tmp"
    ablage.mkdir()
    prozess = subprocess.Popen([sys.executable, "-m", "cli.main", "batch", "--prozesse", "2", "--ausgabe", str(ziel)],
                               cwd=WURZEL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "TMPDIR": str(ablage)})
    frist = time.monotonic() + 60  # warten, bis die Arbeitsprozesse rechnen: ihre ersten Pakete liegen in der Ablage
    while time.monotonic() < frist and not any(ablage.rglob("*.paket")):
        time.sleep(0.01)
    kinder = _kinder(prozess.pid)
    assert prozess.poll() is None and kinder, prozess.communicate()
    os.kill(kinder[0], signal.SIGKILL)
    try:
        _, fehler = prozess.communicate(timeout=60)
    except subprocess.TimeoutExpired:  # hängt – nicht als Waise zurücklassen
        for pid in [prozess.pid, *_kinder(prozess.pid)]:
            os.kill(pid, signal.SIGKILL)
        prozess.communicate()
        raise
    assert prozess.returncode == 3, fehler
    assert "Arbeitsprozess" in fehler and "SIGKILL" in fehler and "Traceback" not in fehler, fehler
    assert ziel.read_text() == "alt"
    assert sorted(os.listdir(tmp_path)) == ["de.jsonl", "tmp"] and os.listdir(ablage) == []


_POOL_STIRBT_BEIM_SCHREIBEN = """
import multiprocessing, os, signal, sys, time
from engine.auswertung.arbeitsprozesse import arbeiter_start as _arbeiter_start, beende as _beende

def gross(i):
    return "x" * 20_000_000  # ein Ergebnis, das sich nicht in einem Zug schreiben lässt

if __name__ == "__main__":
    vorher = set(multiprocessing.active_children())
    pool = multiprocessing.get_context("fork").Pool(2, initializer=_arbeiter_start)
    arbeiter = [p for p in multiprocessing.active_children() if p not in vorher]
    for _ in pool.imap(gross, range(40)):
        time.sleep(0.05)
        for p in arbeiter:
            os.kill(p.pid, signal.SIGKILL)  # mitten im Schreiben des nächsten Ergebnisses
        break
    beginn = time.monotonic()
    _beende(pool, arbeiter, frist=1.0)
    print(f"{time.monotonic() - beginn:.1f}", all(not p.is_alive() for p in arbeiter))
"""


def test_beenden_des_pools_haengt_nie():
    """CPython wartet in ``pool.terminate()`` für immer auf ein Ergebnis, das ein gestorbener Arbeitsprozess nur halb
    geschrieben hat (so hing gelegentlich ein abgebrochener ``batch`` mit JSONL). ``_beende`` endet nach seiner Frist,
    ohne lebende Arbeitsprozesse, und das Programm endet danach."""
    for _ in range(2):
        lauf = subprocess.run([sys.executable, "-c", _POOL_STIRBT_BEIM_SCHREIBEN], cwd=WURZEL, capture_output=True,
                              text=True, timeout=60)
        assert lauf.returncode == 0, lauf.stderr
        dauer, ohne_arbeiter = lauf.stdout.split()
        assert float(dauer) < 10 and ohne_arbeiter == "True", lauf.stdout


def _befehlszeile(pid: str) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().decode(errors="replace")
    except OSError:
        return ""


def test_keine_schreibrechte_auch_als_root_gemeldet(tmp_path, monkeypatch):
    """Wie ein schreibgeschütztes Verzeichnis für Nicht-root: ``os.open`` scheitert mit EACCES."""
    import errno

    def verweigert(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "open", verweigert)
    with pytest.raises(DateiFehler) as info:
        with AtomareDatei(tmp_path / "a.csv"):
            pass
    assert "keine Schreibrechte" in str(info.value) and "a.csv" in str(info.value)


@pytest.mark.parametrize("name", ["Teststadt", "Stadt \ue0001", "\ue000", "Links\u202eRechts \x1b[2J", 'A"\ue000B'])
def test_jsonl_mit_einmal_kodierten_zitaten_ist_json_text_des_berichts(regelbasis, durable, name):
    """``JsonlFormat`` setzt einmal kodierte Zitate und feste Texte über Platzhalter ein: derselbe Text wie
    ``json_text`` des Berichts – auch mit Steuer- und Richtungszeichen und mit dem Platzhalterzeichen U+E000 im Namen."""
    import datetime as dt

    from engine.ausgabe.dateien import JsonlFormat
    from engine.ausgabe.json_vertrag import bericht_json, json_text
    from engine.auswertung.bericht import erstelle_bericht
    from engine.kommunen import daten

    tag = dt.date(2025, 6, 1)
    format_ = JsonlFormat(regelbasis, tag)
    speicher: dict = {}
    for d in [x for x in daten.alle() if x.land in ("HE", "SL")][:120]:
        kommune = d.profil(tag).ersetzt(name=name)
        erwartet = json_text(bericht_json(erstelle_bericht(kommune, tag, regelbasis, durable)), kompakt=True)
        assert format_(kommune, tag, regelbasis, durable, speicher)[1] == erwartet.encode(), d.ags


def test_grosse_ausgabe_geht_schon_waehrend_des_schreibens_auf_die_platte(tmp_path, monkeypatch):
    """Nach je ``VORAUS_BYTES`` stößt ``AtomareDatei`` das Schreiben auf die Platte an (das ``fsync`` am Ende wartet
    sonst auf alles): nur für die temporäre Datei, und der Inhalt bleibt genau, was geschrieben wurde – auch Text und
    Bytes gemischt."""
    from engine.ausgabe import dateien

    monkeypatch.setattr(dateien, "VORAUS_BYTES", 1000)
    angestossen = []
    echt = os.posix_fadvise
    monkeypatch.setattr(dateien.os, "posix_fadvise", lambda fd, a, n, rat: (angestossen.append(rat), echt(fd, a, n, rat)))
    ziel = tmp_path / "gross.jsonl"
    erwartet = b""
    with AtomareDatei(ziel) as datei:
        for i in range(50):
            stueck = f"Zeile {i} – ä\n"
            datei.write(stueck if i % 7 == 0 else (stueck * 20).encode())
            erwartet += stueck.encode() if i % 7 == 0 else (stueck * 20).encode()
        assert angestossen and set(angestossen) == {os.POSIX_FADV_DONTNEED}
    assert ziel.read_bytes() == erwartet
    angestossen.clear()
    with AtomareDatei(type(tmp_path)("/dev/null")) as datei:  # keine gewöhnliche Datei: nichts anzustoßen
        datei.write(b"x" * 5000)
    assert angestossen == []


def test_kodierter_text_und_text_gemischt_in_der_richtigen_reihenfolge(tmp_path):
    """``bewerte_alle`` liefert Text als UTF-8-Bytes (im Arbeitsprozess kodiert); die Textdatei nimmt Bytes und Text
    gemischt in ihrer Reihenfolge auf, ohne Zeilenenden zu übersetzen."""
    ziel = tmp_path / "gemischt.csv"
    with AtomareDatei(ziel) as datei:
        datei.write("\ufeffKopf;Ä\r\n")
        datei.write("Zeile 1;ö\r\n".encode())
        datei.write("Zeile 2;ß\n")
        datei.write("Zeile 3;\u202e\r\n".encode())
    assert ziel.read_bytes() == "\ufeffKopf;Ä\r\nZeile 1;ö\r\nZeile 2;ß\nZeile 3;\u202e\r\n".encode()
