"""Erstaufnahmeeinrichtungen der Länder: ihre Belegung schwankt, und die Schätzung muss das wissen.

Wer in einer Erstaufnahmeeinrichtung wohnt, zählt je nach Land und Zeitpunkt im Melderegister des Standorts mit oder
nicht, und die Einrichtung kann voll, leer oder geschlossen sein. Die Liste mit Platzzahlen und Belegen steht in
``engine/daten/tatsachen/erstaufnahme.yaml``; ``zuschlaege`` liefert je Gemeinde oder Kreis die Plätze, um die die
Spanne in beide Richtungen wächst, mit dem Grund für den Bericht.

Geprüft wird die Liste in ``tatsachenlisten.py`` (pydantic); ausgewertet werden die Datenklassen hier, die der
Zwischenspeicher aufbewahrt (Schlüssel: die Liste und dieser Code) – ein Kaltstart liest so keine YAML-Datei und lädt
pydantic nicht.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from engine import zwischenspeicher
from engine.kommunen.alterung import Zuschlag
from engine.zahlen import zahl

DATEI = "erstaufnahme.yaml"


@dataclass(frozen=True)
class Einrichtung:
    """Felder und Bedeutung: ``tatsachenlisten.Einrichtung``."""

    ags: str
    name: str
    einrichtung: str
    plaetze: int
    art: str
    stand: dt.date | None
    gueltig_ab: dt.date | None
    gueltig_bis: dt.date | None
    quelle: str
    url: str
    zitat: str


@dataclass(frozen=True)
class Liste:
    beschreibung: str
    hinweis: str | None
    einrichtungen: tuple[Einrichtung, ...]


_ERLAUBT = {__name__: frozenset({"Liste", "Einrichtung"}), "datetime": frozenset({"date"})}


def _baue() -> Liste:
    from engine.kommunen.tatsachenlisten import erstaufnahmeliste

    geprueft = erstaufnahmeliste()
    return Liste(geprueft.beschreibung, geprueft.hinweis,
                 tuple(Einrichtung(**{name: getattr(e, name) for name in type(e).model_fields})
                       for e in geprueft.einrichtungen))


def _quellen() -> list:
    from importlib import resources

    code = Path(__file__).resolve().parent
    return [resources.files("engine.daten").joinpath("tatsachen").joinpath(DATEI), code / "erstaufnahme.py",
            code / "tatsachenlisten.py"]


@lru_cache(maxsize=1)
def liste() -> Liste:
    """Die Liste aus dem Zwischenspeicher, sonst aus der geprüften Datei (und dann gespeichert)."""
    schluessel = zwischenspeicher.fingerabdruck(_quellen(), "erstaufnahme 1")
    if schluessel is not None:
        gespeichert = zwischenspeicher.lies("erstaufnahme", schluessel, _ERLAUBT)
        if isinstance(gespeichert, Liste) and all(isinstance(e, Einrichtung) for e in gespeichert.einrichtungen):
            return gespeichert
    neu = _baue()
    if schluessel is not None:
        zwischenspeicher.schreibe("erstaufnahme", schluessel, neu)
    return neu


@lru_cache(maxsize=1)
def _nach_ags() -> dict[str, tuple[Einrichtung, ...]]:
    """Je Gemeinde (8 Ziffern) und je Kreis (5 Ziffern) ihre Einrichtungen – ``batch`` fragt für jede Kommune."""
    index: dict[str, list[Einrichtung]] = {}
    for e in liste().einrichtungen:
        index.setdefault(e.ags, []).append(e)
        index.setdefault(e.ags[:5], []).append(e)
    return {ags: tuple(gruppe) for ags, gruppe in index.items()}


def einrichtungen(ags: str, stichtag: dt.date) -> list[Einrichtung]:
    """Einrichtungen in der Gemeinde (8 Ziffern) oder im Kreis (5 Ziffern), die am Stichtag bestehen können."""
    return [e for e in _nach_ags().get(ags, ()) if len(ags) in (5, 8)
            and (e.gueltig_ab is None or e.gueltig_ab <= stichtag)
            and (e.gueltig_bis is None or stichtag <= e.gueltig_bis)]


def zuschlaege(ags: str, stichtag: dt.date) -> tuple[Zuschlag, ...]:
    if ags not in _nach_ags():
        return ()
    return tuple(Zuschlag(e.plaetze, f"{e.einrichtung} in {e.name} ({zahl(e.plaetze)} {e.art}"
                                     + (f", Stand {e.stand:%d.%m.%Y}" if e.stand else "")
                                     + "; Belegung zwischen leer und voll, Bewohner nicht überall gemeldet)")
                 for e in einrichtungen(ags, stichtag))


__all__ = ["Einrichtung", "Liste", "einrichtungen", "zuschlaege", "liste"]
