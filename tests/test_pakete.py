"""Arbeitspakete der Massenauswertung (Issue 19): je Land ein Paket, Text am Stück, Ablage statt Pipe – und immer
dieselbe Datei und dieselbe Zusammenfassung wie Kommune für Kommune in einem Prozess."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.ausgabe.dateien import CsvFormat, JsonlFormat
from engine.auswertung import arbeitsprozesse, massen
from engine.kommunen.daten import alle

from .conftest import WURZEL

STICHTAG = dt.date(2025, 6, 1)


@dataclass(frozen=True)
class Ort:
    land: str
    nummer: int


def _pakete(datensaetze, prozesse: int) -> list:
    """Die Arbeitspakete selbst, aus ihren Bereichen."""
    return [datensaetze[von:bis] for von, bis in massen.paketbereiche(datensaetze, prozesse)]


def _laeufe(folge) -> list[tuple[str, int]]:
    """(Land, Länge) je zusammenhängendem Lauf eines Landes."""
    laeufe: list[list] = []
    for x in folge:
        if laeufe and laeufe[-1][0] == x.land:
            laeufe[-1][1] += 1
        else:
            laeufe.append([x.land, 1])
    return [(land, n) for land, n in laeufe]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["SH", "HH", "NI", "HB", "NW"]), max_size=400), st.integers(1, 8))
def test_pakete_zerlegen_die_folge_zusammenhaengend(laender, prozesse):
    folge = [Ort(land, i) for i, land in enumerate(laender)]
    pakete = _pakete(folge, prozesse)
    assert [x for p in pakete for x in p] == folge  # nichts fehlt, nichts doppelt, Reihenfolge bleibt
    groesste = max(massen.BLOCK, -(-len(folge) // (2 * prozesse)))
    assert all(0 < len(p) <= groesste for p in pakete)
    # ein Land, das in ein Paket passt, wird nie geteilt: seine Klassen beurteilt genau ein Prozess
    anfang = 0
    grenzen = set()
    for p in pakete:
        anfang += len(p)
        grenzen.add(anfang)
    stelle = 0
    for _, laenge in _laeufe(folge):
        if laenge <= groesste:
            assert not any(stelle < g < stelle + laenge for g in grenzen)
        stelle += laenge


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["SH", "HH", "NI", "HB", "NW"]), max_size=400), st.integers(1, 8),
       st.dictionaries(st.sampled_from(["SH", "HH", "NI", "HB", "NW"]), st.integers(1, 9)), st.integers(1, 6))
def test_pakete_nach_aufwand(laender, prozesse, gewichte, teile_je_prozess):
    """Mit Aufwand je Ort (JSONL: Länder mit eigenem Bericht je Ort wiegen mehr): zusammenhängend, vollständig, kein
    Paket über dem Höchstaufwand (außer einem Ort allein), ein Land, das in ein Paket passt, ungeteilt."""
    folge = [Ort(land, i) for i, land in enumerate(laender)]
    gewicht = lambda land: gewichte.get(land, 1)  # noqa: E731
    bereiche = massen.paketbereiche(folge, prozesse, gewicht, teile_je_prozess)
    pakete = [folge[von:bis] for von, bis in bereiche]
    assert [x for p in pakete for x in p] == folge
    gesamt = sum(gewicht(x.land) for x in folge)
    groesste = max(massen.BLOCK, -(-gesamt // (teile_je_prozess * prozesse)))
    assert all(p and (sum(gewicht(x.land) for x in p) <= groesste or len(p) == 1) for p in pakete)
    grenzen, anfang = set(), 0
    for p in pakete:
        anfang += len(p)
        grenzen.add(anfang)
    stelle = 0
    for land, laenge in _laeufe(folge):
        if laenge * gewicht(land) <= groesste:
            assert not any(stelle < g < stelle + laenge for g in grenzen)
        stelle += laenge


def test_pakete_ganz_deutschland_je_land_und_ein_land_geteilt():
    daten = alle()
    pakete = _pakete(daten, 2)
    assert sum(map(len, pakete)) == len(daten)
    # die großen Länder stehen je in einem Paket: kein Land mit Gemeinden in zwei Paketen
    laender_je_paket = [{d.land for d in p if d.art == "gemeinde"} for p in pakete]
    for land in {d.land for d in daten}:
        assert sum(land in ls for ls in laender_je_paket) <= 1, land
    # ein einzelnes Land wird auf die Prozesse verteilt
    hessen = [d for d in daten if d.land == "HE"]
    assert len(_pakete(hessen, 2)) >= 4


def _einzeln(daten, formatierer_klasse, **kw) -> tuple[bytes, massen.Zusammenfassung]:
    formatierer = formatierer_klasse(massen_regelbasis(), STICHTAG, **kw)
    zusammenfassung = massen.Zusammenfassung()
    teile = []
    for land, kurz, inhalt in massen.bewerte_alle(daten, STICHTAG, massen_regelbasis(), formatierer, prozesse=1):
        zusammenfassung.erfasse(land, kurz)
        teile.append(inhalt)
    return b"".join(teile), zusammenfassung


def massen_regelbasis():
    from engine.regeln.basis import lade_regelbasis

    return lade_regelbasis()


@pytest.mark.parametrize("formatierer_klasse, kw", [(CsvFormat, {"deutsch": True}), (CsvFormat, {"deutsch": False}),
                                                    (JsonlFormat, {})])
def test_je_paket_derselbe_text_und_dieselbe_zaehlung(formatierer_klasse, kw):
    daten = [d for d in alle() if d.land in ("SL", "HB", "BE")] + [d for d in alle() if d.land == "NW"][:150]
    erwartet, zusammen_erwartet = _einzeln(daten, formatierer_klasse, **kw)
    formatierer = formatierer_klasse(massen_regelbasis(), STICHTAG, **kw)
    pakete = list(massen.bewerte_alle(daten, STICHTAG, massen_regelbasis(), formatierer, prozesse=1, je_paket=True))
    assert b"".join(p.inhalt for p in pakete) == erwartet
    assert sum(p.anzahl for p in pakete) == len(daten)
    zusammen = massen.Zusammenfassung()
    for p in pakete:
        zusammen.nimm(p.zusammenfassung)
    assert zusammen.kommunen == zusammen_erwartet.kommunen
    assert zusammen.zaehler == zusammen_erwartet.zaehler
    assert zusammen.tabelle(massen_regelbasis()) == zusammen_erwartet.tabelle(massen_regelbasis())


def test_geteiltes_kurzergebnis_zaehlt_je_kommune():
    """Formatierer teilen Kurzergebnisse zwischen Kommunen (dasselbe Objekt): gezählt wird dennoch jede Kommune."""
    geteilt = [("r1", "gilt"), ("r2", "unbestimmt")]
    daten = [Ort("HE", i) for i in range(5)] + [Ort("SL", 9)]

    def formatierer(kommune, *_):
        return (geteilt if kommune.nummer < 5 else [("r1", "entfaellt")]), f"{kommune.nummer};"

    massen._ARBEIT.clear()
    massen._ARBEIT.update(regelbasis=None, stichtag=STICHTAG, merkmale=(), formatierer=formatierer,
                          mit_zwischenspeicher=True, pid=os.getpid(), auswerter=None, speicher={})

    class Datensatz:
        def __init__(self, ort):
            self.land, self.ort = ort.land, ort

        def profil(self, stichtag):
            return self.ort

    original = massen.mit_merkmalen
    try:
        massen.mit_merkmalen = lambda k, m: k
        paket = massen._arbeite_paket([Datensatz(o) for o in daten])
    finally:
        massen.mit_merkmalen = original
        massen._ARBEIT.clear()
    assert paket.inhalt == b"0;1;2;3;4;9;"
    assert paket.zusammenfassung.kommunen == Counter({"HE": 5, "SL": 1})
    assert paket.zusammenfassung.zaehler == Counter({("HE", "r1", "gilt"): 5, ("HE", "r2", "unbestimmt"): 5,
                                                     ("SL", "r1", "entfaellt"): 1})


def test_ablage_nicht_beschreibbar_dann_kommt_der_text_durch_die_pipe(tmp_path, monkeypatch):
    aufrufe = []

    def rechne(block, schreibe=None):
        aufrufe.append(schreibe is not None)
        if schreibe is not None:
            schreibe([b"a;"])
            schreibe([b"b;"])
            return massen.Paket(2, b"", massen.Zusammenfassung())
        return massen.Paket(2, b"a;b;", massen.Zusammenfassung())

    monkeypatch.setattr(massen, "_arbeite_paket", rechne)
    monkeypatch.setitem(massen._ARBEIT, "daten", ["x", "y"])
    fehlt = tmp_path / "gibt-es-nicht"
    ergebnis = massen._arbeite_abgelegt((str(fehlt), 0, 0, 2))
    assert ergebnis.datei is None and ergebnis.inhalt == b"a;b;" and not fehlt.exists() and aufrufe == [False]
    assert b"".join(ergebnis.teile()) == b"a;b;"
    # mit Ablage: Text stückweise in der Datei, beim Lesen in Stücken abgeholt und entfernt
    ergebnis = massen._arbeite_abgelegt((str(tmp_path), 3, 0, 2))
    assert ergebnis.inhalt == b"" and ergebnis.datei == str(tmp_path / "3.paket") and aufrufe[-1] is True
    assert list(ergebnis.teile(groesse=3)) == [b"a;b", b";"] and not (tmp_path / "3.paket").exists()


def test_schreiben_bricht_ab_dann_noch_einmal_durch_die_pipe(tmp_path, monkeypatch):
    """Die Platte läuft mitten im Paket voll: die halbe Datei verschwindet, das Paket kommt ganz durch die Pipe."""
    def rechne(block, schreibe=None):
        if schreibe is not None:
            schreibe([b"a;"])
            raise OSError(28, "No space left on device")
        return massen.Paket(2, b"a;b;", massen.Zusammenfassung())

    monkeypatch.setattr(massen, "_arbeite_paket", rechne)
    monkeypatch.setitem(massen._ARBEIT, "daten", ["x", "y"])
    ergebnis = massen._arbeite_abgelegt((str(tmp_path), 0, 0, 2))
    assert ergebnis.inhalt == b"a;b;" and ergebnis.datei is None and list(tmp_path.iterdir()) == []


def test_grosses_paket_wird_stueckweise_abgelegt(monkeypatch):
    """Ein Arbeitsprozess hält nie ein ganzes Land als JSONL im Speicher: ab ``PUFFER_ZEICHEN`` schreibt er."""
    monkeypatch.setattr(massen, "PUFFER_ZEICHEN", 10)
    monkeypatch.setattr(massen, "_zeilen", lambda block: ((("HE", [], f"{x:04d};") for x in block)))
    aufrufe: list[list[bytes]] = []
    paket = massen._arbeite_paket(list(range(7)), aufrufe.append)
    assert b"".join(b"".join(a) for a in aufrufe) == b"".join(f"{x:04d};".encode() for x in range(7))
    assert paket.inhalt == b"" and [sum(map(len, a)) for a in aufrufe] == [10, 10, 10, 5]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.binary(max_size=40), max_size=2500), st.randoms(use_true_random=False))
def test_schreibe_alle_schreibt_jedes_stueck_auch_bei_kurzen_schreibvorgaengen(stuecke, zufall):
    """``writev`` darf weniger schreiben als verlangt (Signal, volle Pipe): der Rest – auch mitten in einem Stück –
    wird nachgeschoben; mehr als 1.024 Stücke gehen in mehreren Aufrufen."""
    geschrieben = bytearray()
    aufrufe = []

    def writev(fd, teile):
        assert len(teile) <= 1024
        aufrufe.append(len(teile))
        alles = b"".join(teile)
        n = zufall.randint(min(1, len(alles)), len(alles)) if alles else 0
        geschrieben.extend(alles[:n])
        return n

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(arbeitsprozesse.os, "writev", writev)
        arbeitsprozesse.schreibe_alle(99, list(stuecke))
    assert bytes(geschrieben) == b"".join(stuecke)


def test_schreibe_alle_ohne_writev(tmp_path, monkeypatch):
    """Wo es ``writev`` nicht gibt (nicht POSIX), verbunden mit ``write`` – dieselbe Datei."""
    monkeypatch.delattr(arbeitsprozesse.os, "writev")
    pfad = tmp_path / "p"
    fd = os.open(pfad, os.O_WRONLY | os.O_CREAT)
    try:
        arbeitsprozesse.schreibe_alle(fd, [b"a;", b"", "ä;".encode()] * 700)
    finally:
        os.close(fd)
    assert pfad.read_bytes() == "a;ä;".encode() * 700


def _batch(tmp_path, *args, tmpdir=None):
    umgebung = dict(os.environ, TMPDIR=str(tmpdir or tmp_path))
    return subprocess.run([sys.executable, "-m", "cli.main", "batch", "--stichtag", "2025-06-01", *args],
                          cwd=WURZEL, capture_output=True, text=True, timeout=300, env=umgebung)


@pytest.mark.parametrize("endung", ["csv", "jsonl"])
def test_mehrere_prozesse_mit_ablage_gleiche_datei_und_zusammenfassung_ablage_geraeumt(tmp_path, endung):
    """Im Kindprozess (der Testprozess hat Fäden, dort wird nicht geforkt): drei Prozesse, Pakete über die Ablage –
    dieselbe Datei und dieselbe Zusammenfassung wie mit einem Prozess; danach liegt in TMPDIR nichts mehr."""
    ablage = tmp_path / "tmp"
    ablage.mkdir()
    eins, drei = tmp_path / f"eins.{endung}", tmp_path / f"drei.{endung}"
    a = _batch(tmp_path, "--land", "SL", "--land", "HE", "--prozesse", "1", "--ausgabe", str(eins), tmpdir=ablage)
    b = _batch(tmp_path, "--land", "SL", "--land", "HE", "--prozesse", "3", "--ausgabe", str(drei), tmpdir=ablage)
    assert a.returncode == 0 and b.returncode == 0, a.stderr + b.stderr
    assert eins.read_bytes() == drei.read_bytes()
    assert a.stdout.splitlines()[1:] == b.stdout.splitlines()[1:]  # Zusammenfassung (Zeile 1 nennt die Dauer)
    assert list(ablage.iterdir()) == []


def test_ohne_ablage_dieselbe_datei(tmp_path):
    """TMPDIR zeigt ins Leere: die Pakete kommen durch die Pipe, das Ergebnis ist dasselbe."""
    eins, zwei = tmp_path / "eins.csv", tmp_path / "zwei.csv"
    a = _batch(tmp_path, "--land", "SL", "--prozesse", "1", "--ausgabe", str(eins))
    b = _batch(tmp_path, "--land", "SL", "--prozesse", "2", "--ausgabe", str(zwei), tmpdir=tmp_path / "fehlt")
    assert a.returncode == 0 and b.returncode == 0, a.stderr + b.stderr
    assert eins.read_bytes() == zwei.read_bytes()


_TEXT = st.text(st.sampled_from(list('ab ;,"\r\nöß\u2028\t')), max_size=8)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_TEXT, st.none(), st.integers(-10**9, 10**9)), min_size=2, max_size=10), st.booleans())
def test_kommunenteil_wie_csv_writer(werte, deutsch):
    """Der schnelle Kommunenteil ist Zeichen für Zeichen, was ``csv.writer`` schreibt (mit Trenner am Ende)."""
    from engine.regeln.basis import lade_regelbasis

    f = CsvFormat(lade_regelbasis(), STICHTAG, deutsch=deutsch)
    puffer = io.StringIO()
    trenner, ende = (";", "\r\n") if deutsch else (",", "\n")
    csv.writer(puffer, delimiter=trenner, lineterminator=ende).writerow(werte)
    assert f._kommunenteil(werte) == puffer.getvalue()[:-len(ende)] + trenner


def test_alle_datensaetze_aus_dem_zwischenspeicher_wie_zerlegt(tmp_path, monkeypatch):
    """Die gespeicherten Zeilen ergeben dieselben Datensätze wie die zerlegte Datendatei (beim Schreiben und beim Lesen
    des Zwischenspeichers)."""
    from engine.kommunen import daten

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    zerlegt = tuple(daten._datensatz(r) for r in csv.DictReader(io.StringIO(daten._text())))
    daten.alle.cache_clear()
    try:
        geschrieben = daten.alle()
        daten.alle.cache_clear()
        gelesen = daten.alle()
        assert any(tmp_path.rglob("kommunen-*.pickle"))
    finally:
        daten.alle.cache_clear()
    assert geschrieben == zerlegt and gelesen == zerlegt
    assert [d.__dict__ for d in gelesen[:50]] == [d.__dict__ for d in zerlegt[:50]]
    assert all(type(d) is daten.Datensatz for d in gelesen)
