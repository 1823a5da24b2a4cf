"""Welche Quellen amtlich sind: Rechtsportale, Verkündungsblätter und Hosts der Landesverwaltung je Land.

Ein Justiziar zitiert die Verkündung (amtliche Fundstelle) und verlinkt das amtliche Portal; ein Spiegel darf den
Wortlaut bestätigen, aber nie als Quelle einer Regel stehen. Das Verzeichnis ist Datei, nicht Code
(``engine/daten/amtliche_quellen.yaml``), damit Rechtsberater es lesen und begründet ändern können.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, StrictStr

from engine.begriffe import BUND, LAENDER
from engine.yamlquelle import lese_text


class _Eintrag(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    portal: StrictStr = Field(pattern=r"^https://")
    blaetter: list[StrictStr] = Field(min_length=1)
    domains: list[StrictStr] = Field(min_length=1)


@dataclass(frozen=True)
class AmtlicheQuellen:
    """Portal, Verkündungsblätter und amtliche Hosts eines Landes (oder des Bundes)."""

    land: str
    portal: str
    blaetter: tuple[str, ...]
    domains: tuple[str, ...]

    def ist_amtlicher_host(self, host: str) -> bool:
        host = host.lower().rstrip(".").removeprefix("www.")
        return any(host == d or host.endswith("." + d) for d in self.domains)


@lru_cache(maxsize=1)
def verzeichnis() -> dict[str, AmtlicheQuellen]:
    datei = resources.files("engine.daten").joinpath("amtliche_quellen.yaml")
    dokument = lese_text(datei.read_text(encoding="utf-8"), "engine/daten/amtliche_quellen.yaml")
    ergebnis = {}
    for land, daten in dokument.daten.items():
        if land not in LAENDER and land != BUND:
            raise ValueError(f"amtliche_quellen.yaml: unbekanntes Land „{land}“")
        eintrag = _Eintrag.model_validate(daten)
        ergebnis[land] = AmtlicheQuellen(land, eintrag.portal, tuple(eintrag.blaetter),
                                         tuple(d.lower() for d in eintrag.domains))
    return ergebnis


def host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


def ist_amtlich(url: str, land: str) -> bool:
    """Ein Link ist amtlich, wenn er auf einen Host des Landes der Regel oder des Bundes zeigt (Bundesrecht gilt
    überall; eine Landesregel darf die Bundesnorm verlinken, die sie ausführt)."""
    quellen = verzeichnis()
    h = host(url)
    return any(quellen[k].ist_amtlicher_host(h) for k in (land, BUND) if k in quellen)


def _blatt_muster(blatt: str) -> re.Pattern:
    # „GV. NRW.“ soll auch „GV.NRW.“ und „GV NRW“ treffen; Leerzeichen und Punkte sind in Fundstellen uneinheitlich
    teile = [re.escape(t) for t in re.split(r"[\s.]+", blatt) if t]
    return re.compile(r"(?<![A-Za-zÄÖÜäöü])" + r"[\s.]*".join(teile), re.IGNORECASE)


@lru_cache(maxsize=64)
def _muster(land: str) -> tuple[re.Pattern, ...]:
    quellen = verzeichnis()
    blaetter = [b for k in (land, BUND) if k in quellen for b in quellen[k].blaetter]
    return tuple(_blatt_muster(b) for b in blaetter)


def nennt_verkuendungsblatt(fundstelle: str, land: str) -> bool:
    """Nennt die Fundstelle ein Verkündungsblatt des Landes (oder des Bundes)?"""
    return any(m.search(fundstelle) for m in _muster(land))


__all__ = ["AmtlicheQuellen", "verzeichnis", "host", "ist_amtlich", "nennt_verkuendungsblatt"]
