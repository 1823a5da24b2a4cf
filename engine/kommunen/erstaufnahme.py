"""Erstaufnahmeeinrichtungen der Länder: ihre Belegung schwankt, und die Schätzung muss das wissen.

Wer in einer Erstaufnahmeeinrichtung wohnt, zählt je nach Land und Zeitpunkt im Melderegister des Standorts mit oder
nicht, und die Einrichtung kann voll, leer oder geschlossen sein. Die Liste mit Platzzahlen und Belegen steht in
``engine/daten/tatsachen/erstaufnahme.yaml``; ``zuschlaege`` liefert je Gemeinde oder Kreis die Plätze, um die die
Spanne in beide Richtungen wächst, mit dem Grund für den Bericht.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

from engine.kommunen.alterung import Zuschlag
from engine.validierung import validiere
from engine.yamlquelle import lese_text
from engine.zahlen import zahl

DATEI = "erstaufnahme.yaml"


class _Streng(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Einrichtung(_Streng):
    ags: StrictStr = Field(pattern=r"^\d{8}$", description="Gemeinde des Standorts")
    name: StrictStr
    einrichtung: StrictStr
    plaetze: StrictInt = Field(gt=0)
    art: StrictStr = Field(description="Plätze, Obergrenze oder Belegung – wie die Quelle die Zahl nennt")
    stand: dt.date | None = None
    gueltig_ab: dt.date | None = None
    gueltig_bis: dt.date | None = None
    quelle: StrictStr
    url: StrictStr = Field(pattern=r"^https?://")
    zitat: StrictStr = Field(description="wörtlicher Beleg aus der Quelle")


class Liste(_Streng):
    beschreibung: StrictStr
    hinweis: StrictStr | None = None
    einrichtungen: list[Einrichtung]


@lru_cache(maxsize=1)
def liste() -> Liste:
    datei = resources.files("engine.daten").joinpath("tatsachen").joinpath(DATEI)
    return validiere(Liste, lese_text(datei.read_text(encoding="utf-8"), f"engine/daten/tatsachen/{DATEI}"))


def einrichtungen(ags: str, stichtag: dt.date) -> list[Einrichtung]:
    """Einrichtungen in der Gemeinde (8 Ziffern) oder im Kreis (5 Ziffern), die am Stichtag bestehen können."""
    return [e for e in liste().einrichtungen
            if (e.ags == ags if len(ags) == 8 else e.ags[:5] == ags)
            and (e.gueltig_ab is None or e.gueltig_ab <= stichtag)
            and (e.gueltig_bis is None or stichtag <= e.gueltig_bis)]


def zuschlaege(ags: str, stichtag: dt.date) -> tuple[Zuschlag, ...]:
    return tuple(Zuschlag(e.plaetze, f"{e.einrichtung} in {e.name} ({zahl(e.plaetze)} {e.art}"
                                     + (f", Stand {e.stand:%d.%m.%Y}" if e.stand else "")
                                     + "; Belegung zwischen leer und voll, Bewohner nicht überall gemeldet)")
                 for e in einrichtungen(ags, stichtag))


__all__ = ["Einrichtung", "einrichtungen", "zuschlaege", "liste"]
