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
