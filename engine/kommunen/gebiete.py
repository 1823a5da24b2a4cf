"""Die Flächen der Kreise und Länder für Karten, nach AGS – und welche Fläche eine Kommune am Stichtag färbt.

Die Flächen stammen aus den Verwaltungsgebieten 1:250 000 des BKG (VG250, © GeoBasis-DE / BKG, Datenlizenz
Deutschland – Namensnennung 2.0), vereinfacht auf etwa 200 m und auf den Gebietsstand der Kommunendaten (31.12.2024)
nachgeführt; gebaut mit ``scripts/baue_gebiete.py``, Herkunft in ``docs/karten.md``.

Eine Karteneinheit ist ein Kreis (5-stelliger AGS; eine kreisfreie Stadt ist ihr eigener Kreis, Berlin und Hamburg
sind je eine Einheit samt Bezirken). Wird eine Gemeinde nach dem Gebietsstand der Daten kreisfrei (Hanau am
01.01.2026, ``tatsachen/typaenderungen.yaml``), ist sie ab dann eine eigene Einheit mit eigener Fläche, gezeichnet über
der ihres bisherigen Kreises.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from engine.begriffe import LAND_NACH_AGS_PREFIX
from engine.kommunen import tatsachen

Ring = tuple[tuple[float, float], ...]  # (Länge, Breite) in Grad, WGS84


@dataclass(frozen=True)
class Gebiet:
    schluessel: str  # Land: 2 Ziffern, Kreis: 5, kreisfrei gewordene Gemeinde: 8
    name: str
    land: str  # Länderkürzel (HE)
    flaechen: tuple[tuple[Ring, ...], ...]  # Polygone, je Polygon die Ringe (erster außen, dann Löcher)


@lru_cache(maxsize=1)
def _datei() -> dict:
    roh = resources.files("engine.daten").joinpath("gebiete.json.gz").read_bytes()
    return json.loads(gzip.decompress(roh))


def _gebiete(teil: str) -> dict[str, Gebiet]:
    ergebnis = {}
    for schluessel, eintrag in _datei()[teil].items():
        flaechen = tuple(tuple(tuple(zip(r[0::2], r[1::2])) for r in polygon) for polygon in eintrag["flaechen"])
        ergebnis[schluessel] = Gebiet(schluessel, eintrag["name"], LAND_NACH_AGS_PREFIX[schluessel[:2]].code, flaechen)
    return ergebnis


@lru_cache(maxsize=1)
def kreise() -> dict[str, Gebiet]:
    """Alle 400 Kreise und kreisfreien Städte (Gebietsstand 31.12.2024) nach 5-stelligem AGS."""
    return _gebiete("kreise")


@lru_cache(maxsize=1)
def laender() -> dict[str, Gebiet]:
    """Die 16 Länder nach Länderkürzel."""
    return {g.land: g for g in _gebiete("laender").values()}


@lru_cache(maxsize=1)
def gemeinden() -> dict[str, Gebiet]:
    """Gemeinden, die nach dem Gebietsstand der Daten kreisfrei werden, nach 8-stelligem AGS."""
    return _gebiete("gemeinden")


def einheit(ags: str, stichtag: dt.date) -> str:
    """Die Karteneinheit einer Kommune (Gemeinde, Kreis, Bezirk) am Stichtag: ihr Kreis – oder sie selbst, wenn sie
    bis dahin kreisfrei geworden ist."""
    if len(ags) == 8:
        aenderung = tatsachen.typaenderung(ags, stichtag)
        if aenderung is not None and aenderung.typ_ab == "kreisfreie_stadt" and ags in gemeinden():
            return ags
    return ags[:5]


def einheiten(stichtag: dt.date, land: str | None = None) -> dict[str, Gebiet]:
    """Die Karteneinheiten am Stichtag (alle oder die eines Landes), in Zeichenreihenfolge: erst die Kreise, dann die
    kreisfrei gewordenen Gemeinden darüber."""
    ergebnis = {k: g for k, g in kreise().items() if land is None or g.land == land}
    for ags, g in gemeinden().items():
        if (land is None or g.land == land) and einheit(ags, stichtag) == ags:
            ergebnis[ags] = g
    return ergebnis


def einheit_name(schluessel: str, stichtag: dt.date) -> str:
    """Der Name einer Karteneinheit, wie die Kommune heißt („Landkreis Offenbach“, „Offenbach am Main“), und was ihr
    am Stichtag fehlt („Main-Kinzig-Kreis (ohne Hanau)“)."""
    from engine.kommunen.daten import _anzeigename, anzeigename, nach_ags

    name = anzeigename(nach_ags(schluessel))
    weg = tatsachen.ausgegliedert(schluessel, stichtag) if len(schluessel) == 5 else []
    return name + (f" (ohne {', '.join(_anzeigename(t.name) for t in weg)})" if weg else "")


def namensnennung() -> str:
    """Quellenvermerk für jede Karte: Herkunft, Namensnennung und Lizenz."""
    d = _datei()
    return f"Kartengrundlage: VG250, {d['namensnennung']}; {d['lizenz']} (dl-de/by-2-0)."


def gebietsstand() -> str:
    return _datei()["gebietsstand"]


__all__ = ["Gebiet", "kreise", "laender", "gemeinden", "einheit", "einheiten", "einheit_name", "namensnennung",
           "gebietsstand"]
