"""Tatsachen aus amtlichen Listen: was über eine Kommune belegt ist, muss nicht gefragt werden.

Die Listen stehen als YAML in ``engine/daten/tatsachen/`` – je Datei ein Merkmal mit Wert, Quelle, Datum und Beleg,
dazu die Kommunen (AGS), für die es gilt, auf Wunsch mit ``gueltig_ab``/``gueltig_bis`` (einschließlich). Eine
Statusänderung (z. B. Hanau: kreisfreie Stadt ab 01.01.2026) steht in ``typaenderungen.yaml``. Eine Kommune, die in
keiner Liste steht, behält ihr Merkmal „unbekannt“: fehlende Einträge sind keine Aussage. Die Erstaufnahmeeinrichtungen
(``erstaufnahme.yaml``) liest ``erstaufnahme.py``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field, StrictStr

from engine.felder import MERKMALE
from engine.kommunen.profil import merkmalswert
from engine.validierung import validiere
from engine.yamlquelle import lese_text


class _Streng(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Eintrag(_Streng):
    ags: StrictStr = Field(pattern=r"^\d{5}(\d{3})?$")
    name: StrictStr
    gueltig_ab: dt.date | None = None
    gueltig_bis: dt.date | None = None
    quelle_eintrag: StrictStr | None = None


class Liste(_Streng):
    merkmal: StrictStr
    wert: StrictStr
    beschreibung: StrictStr
    quelle: StrictStr
    url: StrictStr = Field(pattern=r"^https?://")
    stand: dt.date | None = None
    zitat: StrictStr = Field(description="wörtlicher Beleg aus der Quelle")
    hinweis: StrictStr | None = None
    kommunen: list[Eintrag]


class Typaenderung(_Streng):
    ags: StrictStr = Field(pattern=r"^\d{8}$")
    name: StrictStr
    typ_bis: StrictStr
    typ_ab: StrictStr
    gueltig_ab: dt.date
    quelle: StrictStr
    url: StrictStr = Field(pattern=r"^https?://")
    stand: dt.date | None = None
    zitat: StrictStr
    weitere_belege: list[StrictStr] = Field(default_factory=list)


class Typaenderungen(_Streng):
    beschreibung: StrictStr
    hinweis: StrictStr | None = None
    typaenderungen: list[Typaenderung]


@dataclass(frozen=True)
class Tatsache:
    merkmal: str
    wert: bool | int
    quelle: str  # „Liste …, Stand …“ – so erscheint es im Bericht

    @property
    def text(self) -> str:
        return self.quelle


def _dateien() -> list:
    ordner = resources.files("engine.daten").joinpath("tatsachen")
    return sorted((d for d in ordner.iterdir() if d.name.endswith(".yaml")), key=lambda d: d.name)


@lru_cache(maxsize=1)
def listen() -> tuple[tuple[Liste, ...], Typaenderungen | None]:
    """Alle mitgelieferten Listen, geprüft (ein Fehler hier ist ein Fehler des Pakets, kein Eingabefehler)."""
    ergebnis, typen = [], None
    for datei in _dateien():
        dokument = lese_text(datei.read_text(encoding="utf-8"), f"engine/daten/tatsachen/{datei.name}")
        if datei.name == "typaenderungen.yaml":
            typen = validiere(Typaenderungen, dokument)
            continue
        if datei.name == "erstaufnahme.yaml":  # keine Merkmalsliste: Plätze für die Schätzung (erstaufnahme.py)
            continue
        liste = validiere(Liste, dokument)
        if liste.merkmal not in MERKMALE:
            raise ValueError(f"{datei.name}: unbekanntes Merkmal {liste.merkmal}")
        ergebnis.append(liste)
    return tuple(ergebnis), typen


@lru_cache(maxsize=1)
def _index() -> dict[str, list[tuple[Liste, Eintrag]]]:
    index: dict[str, list[tuple[Liste, Eintrag]]] = {}
    for liste in listen()[0]:
        for eintrag in liste.kommunen:
            index.setdefault(eintrag.ags, []).append((liste, eintrag))
    return index


def _gilt(eintrag, stichtag: dt.date) -> bool:
    return (eintrag.gueltig_ab is None or eintrag.gueltig_ab <= stichtag) and \
        (eintrag.gueltig_bis is None or stichtag <= eintrag.gueltig_bis)


def tatsachen(ags: str, stichtag: dt.date) -> list[Tatsache]:
    """Die belegten Merkmale einer Kommune am Stichtag (bei Widerspruch zweier Listen: keine Aussage)."""
    gefunden: dict[str, list[Tatsache]] = {}
    for liste, eintrag in _index().get(ags, []):
        if not _gilt(eintrag, stichtag):
            continue
        stand = f", Stand {liste.stand:%d.%m.%Y}" if liste.stand else ""
        wert = merkmalswert(MERKMALE[liste.merkmal], liste.wert)
        gefunden.setdefault(liste.merkmal, []).append(Tatsache(liste.merkmal, wert, f"{liste.quelle}{stand}"))
    return [t[0] for t in gefunden.values() if len({x.wert for x in t}) == 1]


def typaenderung(ags: str, stichtag: dt.date) -> Typaenderung | None:
    """Eine Statusänderung, die am Stichtag schon gilt (die jüngste, falls mehrere)."""
    typen = listen()[1]
    if typen is None:
        return None
    passend = [t for t in typen.typaenderungen if t.ags == ags and t.gueltig_ab <= stichtag]
    return max(passend, key=lambda t: t.gueltig_ab) if passend else None


def ausgegliedert(kreis_ags: str, stichtag: dt.date) -> list[Typaenderung]:
    """Gemeinden, die den Kreis bis zum Stichtag verlassen haben (kreisfrei geworden)."""
    typen = listen()[1]
    if typen is None:
        return []
    return [t for t in typen.typaenderungen if t.ags[:5] == kreis_ags and t.typ_ab == "kreisfreie_stadt"
            and t.gueltig_ab <= stichtag]


__all__ = ["Tatsache", "tatsachen", "typaenderung", "ausgegliedert", "listen"]
