"""Der Zwischenspeicher der Regelbasis: schneller Kaltstart, aber nie blind vertraut (Issue 10)."""

from __future__ import annotations

import shutil

import pytest

from engine.regeln import zwischenspeicher
from engine.regeln.basis import lade_regelbasis

from .conftest import FIXTURES


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("KOMMUNALPFLICHTEN_CACHE", raising=False)
    return tmp_path / "cache" / "kommunalpflichten"


def _regeln(tmp_path):
    ziel = tmp_path / "regeln" / "hessen"
    shutil.copytree(FIXTURES / "regeln_kaputt" / "sauber" / "hessen", ziel)
    return ziel.parent


def test_zweiter_aufruf_liest_den_zwischenspeicher(tmp_path, cache):
    regeln = _regeln(tmp_path)
    erste = lade_regelbasis([regeln])
    assert len(list(cache.glob("regelbasis-*.pickle"))) == 1
    zweite = lade_regelbasis([regeln])
    assert zweite.fingerabdruck == erste.fingerabdruck
    assert zweite.regeln.keys() == erste.regeln.keys()
    assert zweite.regeln["he.test.pflicht"].dokument.positionen == {}  # schlank: ohne Positionen


def test_geaenderte_regel_verwirft_den_eintrag(tmp_path, cache):
    regeln = _regeln(tmp_path)
    erste = lade_regelbasis([regeln])
    datei = regeln / "hessen" / "pflicht.yaml"
    datei.write_text(datei.read_text(encoding="utf-8").replace("wert: 1000", "wert: 2000"), encoding="utf-8")
    zweite = lade_regelbasis([regeln])
    assert zweite.fingerabdruck != erste.fingerabdruck
    assert zweite.regel("he.test.pflicht").versionen[0].bedingung.wert == 2000


@pytest.mark.parametrize("inhalt", [b"", b"kaputt", b"\x80\x04\x95"])
def test_beschaedigter_eintrag_wird_neu_gebaut(tmp_path, cache, inhalt):
    regeln = _regeln(tmp_path)
    lade_regelbasis([regeln])
    eintrag = next(cache.glob("regelbasis-*.pickle"))
    eintrag.write_bytes(inhalt)
    assert lade_regelbasis([regeln]).regel("he.test.pflicht")


def test_fremder_eintrag_mit_falschem_schluessel_wird_verworfen(tmp_path, cache):
    import pickle

    regeln = _regeln(tmp_path)
    echt = lade_regelbasis([regeln])
    eintrag = next(cache.glob("regelbasis-*.pickle"))
    eintrag.write_bytes(pickle.dumps(("anderer-schluessel", echt)))
    assert zwischenspeicher.lies(eintrag.stem.split("-", 1)[1]) is None


def test_schreibgeschuetztes_verzeichnis_stoert_nicht(tmp_path, monkeypatch):
    gesperrt = tmp_path / "gesperrt"
    gesperrt.mkdir()
    gesperrt.chmod(0o500)
    monkeypatch.setenv("XDG_CACHE_HOME", str(gesperrt))
    try:
        assert lade_regelbasis([_regeln(tmp_path)]).regel("he.test.pflicht")
    finally:
        gesperrt.chmod(0o700)


def test_abschaltbar(tmp_path, cache, monkeypatch):
    monkeypatch.setenv("KOMMUNALPFLICHTEN_CACHE", "aus")
    lade_regelbasis([_regeln(tmp_path)])
    assert not cache.exists()


# ---------------------------------------------------------------- Issue 21, Befunde 4 und 5: nie blind vertraut


def _eintrag(cache):
    return next(cache.glob("regelbasis-*.pickle"))


class _Boese:
    """Ein Pickle, das beim Entpacken eine Datei anlegt (stellvertretend für beliebigen Code)."""

    def __init__(self, ziel):
        self.ziel = str(ziel)

    def __reduce__(self):
        return (open, (self.ziel, "w"))


def test_fremdes_pickle_fuehrt_keinen_code_aus(tmp_path, cache):
    import pickle

    regeln = _regeln(tmp_path)
    lade_regelbasis([regeln])
    datei = _eintrag(cache)
    marke = tmp_path / "ausgefuehrt"
    datei.write_bytes(pickle.dumps((datei.stem.split("-", 1)[1], _Boese(marke))))
    assert lade_regelbasis([regeln]).regel("he.test.pflicht").versionen[0].bedingung.wert == 1000
    assert not marke.exists()


def test_auch_mit_gueltiger_pruefsumme_nur_erlaubte_klassen(tmp_path, cache):
    """Wer den Schlüssel der Installation kennt, kann eine gültige Prüfsumme bilden – Code läuft trotzdem nicht."""
    import pickle

    from engine import zwischenspeicher as speicher

    regeln = _regeln(tmp_path)
    lade_regelbasis([regeln])
    datei = _eintrag(cache)
    eintrag = datei.stem.split("-", 1)[1]
    marke = tmp_path / "ausgefuehrt"
    inhalt = pickle.dumps((eintrag, _Boese(marke)))
    schluessel = (cache / ".schluessel").read_bytes()
    datei.write_bytes(speicher.KENNUNG + speicher._signatur(schluessel, "regelbasis", eintrag, inhalt) + inhalt)
    assert zwischenspeicher.lies(eintrag) is None
    assert not marke.exists()


def test_jedes_gekippte_bit_faellt_auf(tmp_path, cache):
    """Ein gekipptes Byte machte aus „mehr als 1.000“ einmal 62.440 (Issue 21): jetzt wird jeder Eintrag verworfen."""
    import random

    regeln = _regeln(tmp_path)
    lade_regelbasis([regeln])
    datei = _eintrag(cache)
    eintrag = datei.stem.split("-", 1)[1]
    echt = datei.read_bytes()
    zufall = random.Random(21)
    for stelle in sorted(zufall.sample(range(len(echt)), 300)):
        kaputt = bytearray(echt)
        kaputt[stelle] ^= 1 << zufall.randrange(8)
        datei.write_bytes(bytes(kaputt))
        assert zwischenspeicher.lies(eintrag) is None, f"Byte {stelle} gekippt, Eintrag trotzdem gelesen"
    datei.write_bytes(echt)
    assert zwischenspeicher.lies(eintrag) is not None


def test_abgeschnittener_eintrag_wird_verworfen(tmp_path, cache):
    regeln = _regeln(tmp_path)
    lade_regelbasis([regeln])
    datei = _eintrag(cache)
    eintrag = datei.stem.split("-", 1)[1]
    datei.write_bytes(datei.read_bytes()[:-1])
    assert zwischenspeicher.lies(eintrag) is None


def test_privates_verzeichnis(tmp_path, cache):
    import os
    import stat

    cache.mkdir(parents=True, mode=0o755)
    cache.chmod(0o755)  # wie von einer älteren Fassung angelegt
    lade_regelbasis([_regeln(tmp_path)])
    assert stat.S_IMODE(os.stat(cache).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(_eintrag(cache)).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(cache / ".schluessel").st_mode) == 0o600


def test_eintrag_fuer_andere_beschreibbar_wird_nicht_gelesen(tmp_path, cache):
    regeln = _regeln(tmp_path)
    lade_regelbasis([regeln])
    datei = _eintrag(cache)
    datei.chmod(0o666)
    assert zwischenspeicher.lies(datei.stem.split("-", 1)[1]) is None


def test_verzeichnis_als_link_wird_nicht_benutzt(tmp_path, monkeypatch):
    anderswo = tmp_path / "anderswo"
    anderswo.mkdir(mode=0o700)
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "kommunalpflichten").symlink_to(anderswo)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("KOMMUNALPFLICHTEN_CACHE", raising=False)
    assert lade_regelbasis([_regeln(tmp_path)]).regel("he.test.pflicht")
    assert list(anderswo.iterdir()) == []


@pytest.mark.parametrize("home", ["", "relativ/pfad", "/"])
def test_ohne_heimatverzeichnis_nie_unter_wurzel(monkeypatch, home):
    """``HOME=""`` legte den Speicher unter ``/.cache`` (Issue 21); ein relativer Pfad hinge vom Arbeitsverzeichnis ab."""
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("KOMMUNALPFLICHTEN_CACHE", raising=False)
    monkeypatch.setenv("HOME", home)
    ort = zwischenspeicher.verzeichnis()
    assert ort is None or (ort.is_absolute() and str(ort) != "/.cache/kommunalpflichten")


def test_relatives_xdg_cache_home_wird_uebergangen(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", "relativ")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("KOMMUNALPFLICHTEN_CACHE", raising=False)
    assert zwischenspeicher.verzeichnis() == tmp_path / ".cache" / "kommunalpflichten"


def test_link_auf_stdin_statt_eintrag(tmp_path, cache):
    regeln = _regeln(tmp_path)
    lade_regelbasis([regeln])
    datei = _eintrag(cache)
    datei.unlink()
    datei.symlink_to("/dev/stdin")
    assert zwischenspeicher.lies(datei.stem.split("-", 1)[1]) is None


@pytest.mark.parametrize("wo", ["eintrag", "schluessel"])
def test_benannte_pipe_statt_eintrag_haengt_nicht(tmp_path, wo):
    """Eine FIFO an Stelle des Eintrags (oder des Schlüssels) ließ ``check`` für immer warten (Issue 21, Befund 5)."""
    import os
    import subprocess
    import sys

    from .conftest import BEISPIELE, WURZEL

    umgebung = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"), PYTHONIOENCODING="utf-8")
    umgebung.pop("KOMMUNALPFLICHTEN_CACHE", None)
    befehl = [sys.executable, "-m", "cli.main", "check", str(BEISPIELE / "offenbach-am-main.yaml")]
    erster = subprocess.run(befehl, cwd=WURZEL, env=umgebung, capture_output=True, text=True, timeout=300)
    assert erster.returncode == 0, erster.stderr
    ordner = tmp_path / "cache" / "kommunalpflichten"
    ziel = next(ordner.glob("regelbasis-*.pickle")) if wo == "eintrag" else ordner / ".schluessel"
    ziel.unlink()
    os.mkfifo(ziel)
    zweiter = subprocess.run(befehl, cwd=WURZEL, env=umgebung, capture_output=True, text=True, timeout=120)
    assert zweiter.returncode == 0, zweiter.stderr
    assert zweiter.stdout == erster.stdout


def test_frisch_geaenderte_regeln_hinterlassen_keinen_verweis(tmp_path, cache):
    regeln = _regeln(tmp_path)
    lade_regelbasis([regeln])
    lade_regelbasis([regeln])
    assert not list(cache.glob("regelstand-*"))  # die Dateien sind jünger als zwei Sekunden: nur der Inhalt zählt


def test_verweis_ueber_den_stand_und_jede_aenderung_gilt(tmp_path, cache, monkeypatch):
    """Ein Kaltstart findet die Regelbasis über die Metadaten der Dateien; eine Änderung gleicher Länge gilt sofort."""
    import time

    regeln = _regeln(tmp_path)
    spaeter = time.time_ns() + 10_000_000_000
    monkeypatch.setattr(zwischenspeicher.time, "time_ns", lambda: spaeter)
    erste = lade_regelbasis([regeln])
    assert len(list(cache.glob("regelstand-*"))) == 1
    lesen, original = [], zwischenspeicher.schluessel
    monkeypatch.setattr(zwischenspeicher, "schluessel", lambda d: lesen.append(d) or None)
    assert lade_regelbasis([regeln]).fingerabdruck == erste.fingerabdruck
    assert not lesen, "mit gültigem Verweis wird keine Regeldatei gelesen"
    monkeypatch.setattr(zwischenspeicher, "schluessel", original)
    datei = regeln / "hessen" / "pflicht.yaml"
    datei.write_text(datei.read_text(encoding="utf-8").replace("wert: 1000", "wert: 2000"), encoding="utf-8")
    assert lade_regelbasis([regeln]).regel("he.test.pflicht").versionen[0].bedingung.wert == 2000


def test_jede_laufzeitklasse_der_regeln_steht_auf_der_liste():
    """Eine neue Datenklasse im Regelformat (z. B. ``Recherche`` im Zitat, Issue 18) ohne Eintrag in ``ERLAUBT``
    machte jeden Eintrag unlesbar: jeder Start baute die Regelbasis neu, ohne dass ein Ergebnis falsch würde."""
    import dataclasses

    from engine.regeln import modell

    klassen = {name for name, wert in vars(modell).items()
               if dataclasses.is_dataclass(wert) and isinstance(wert, type) and wert.__module__ == modell.__name__}
    assert klassen <= zwischenspeicher.ERLAUBT["engine.regeln.modell"], klassen - zwischenspeicher.ERLAUBT[
        "engine.regeln.modell"]


def test_mitgelieferte_regelbasis_kommt_aus_dem_zwischenspeicher(cache):
    """Alle mitgelieferten Regeln (mit Recherche, nicht ermittelten Normen, Förderung, Szenarien) überstehen den Weg
    durch den Zwischenspeicher unverändert – der zweite Start liest, statt zu bauen."""
    erste = lade_regelbasis()
    schluessel = next(cache.glob("regelbasis-*.pickle")).stem.split("-", 1)[1]
    gelesen = zwischenspeicher.lies(schluessel)
    assert gelesen is not None
    assert {r: g.regel for r, g in gelesen.regeln.items()} == {r: g.regel for r, g in erste.regeln.items()}
    assert any(g.regel.versionen[0].zitat.recherche is not None for g in gelesen.regeln.values())


def test_tatsachen_kreisreihen_und_erstaufnahme_kommen_aus_dem_zwischenspeicher(cache, monkeypatch):
    """Der zweite Start liest Tatsachen, Kreisreihen und Erstaufnahmeeinrichtungen, statt YAML und CSV zu prüfen –
    und bekommt dieselben Werte."""
    from engine.kommunen import alterung, erstaufnahme, tatsachen

    quellen = ((tatsachen.bestand, tatsachen, "_baue"), (erstaufnahme.liste, erstaufnahme, "_baue"),
               (alterung.kreisreihen, alterung, "_lies_kreisreihen"))
    gebaut = []
    for lader, _, _ in quellen:
        lader.cache_clear()
        gebaut.append(lader())
    for (lader, modul, bauer), erwartet in zip(quellen, gebaut):
        lader.cache_clear()
        monkeypatch.setattr(modul, bauer, lambda *_: pytest.fail(f"{modul.__name__}: neu gebaut statt gelesen"))
        assert lader() == erwartet
        lader.cache_clear()
    monkeypatch.undo()
    for lader, _, _ in quellen:
        lader.cache_clear()


def test_kaltstart_aus_dem_zwischenspeicher_laedt_kein_pydantic(tmp_path):
    """Die strengen Prüfungen aus Issue 21 (Stellen, Felder des Profils) stehen in den Format-Modulen (pydantic), die
    Laufzeit bleibt bei Datenklassen (Issue 19): ``check --ags`` aus dem Zwischenspeicher lädt pydantic nie."""
    import os
    import subprocess
    import sys

    from .conftest import WURZEL

    umgebung = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"), PYTHONIOENCODING="utf-8")
    umgebung.pop("KOMMUNALPFLICHTEN_CACHE", None)
    befehl = [sys.executable, "-X", "importtime", "-m", "cli.main", "check", "--ags", "06413000"]
    erster = subprocess.run(befehl, cwd=WURZEL, env=umgebung, capture_output=True, text=True, timeout=300)
    assert erster.returncode == 0, erster.stderr[-2000:]
    zweiter = subprocess.run(befehl, cwd=WURZEL, env=umgebung, capture_output=True, text=True, timeout=120)
    assert zweiter.returncode == 0 and zweiter.stdout == erster.stdout
    module = [z.rsplit("|", 1)[-1].strip() for z in zweiter.stderr.splitlines() if z.startswith("import time:")]
    assert "engine.regeln.modell" in module and "engine.kommunen.profil" in module
    assert not [m for m in module if m.split(".")[0] == "pydantic"]
