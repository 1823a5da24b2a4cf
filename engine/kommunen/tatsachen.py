"""Tatsachen aus amtlichen Listen: was über eine Kommune belegt ist, muss nicht gefragt werden.

Die Listen stehen als YAML in ``engine/daten/tatsachen/`` – je Datei ein Merkmal mit Wert, Quelle, Datum und Beleg,
dazu die Kommunen (AGS), für die es gilt, auf Wunsch mit ``gueltig_ab``/``gueltig_bis`` (einschließlich). Eine
Statusänderung (z. B. Hanau: kreisfreie Stadt ab 01.01.2026) steht in ``typaenderungen.yaml``. Eine Kommune, die in
keiner Liste steht, behält ihr Merkmal „unbekannt“: fehlende Einträge sind keine Aussage. Die Erstaufnahmeeinrichtungen
(``erstaufnahme.yaml``) liest ``erstaufnahme.py``.

Geprüft werden die Listen in ``tatsachenlisten.py`` (pydantic); daraus entsteht einmal der schlanke ``Bestand`` (je
AGS die Einträge, dazu die Statusänderungen), den der Zwischenspeicher aufbewahrt – Schlüssel: Inhalt der Listen und
dieser Code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from engine import zwischenspeicher
from engine.felder import MERKMALE
from engine.kommunen.profil import merkmalswert


@dataclass(frozen=True)
class Tatsache:
    merkmal: str
    wert: bool | int
    quelle: str  # „Liste …, Stand …“ – so erscheint es im Bericht

    @property
    def text(self) -> str:
        return self.quelle


@dataclass(frozen=True)
class Eintrag:
    """Eine Kommune in einer Liste: das Merkmal mit Wert und Quelle, gültig von bis (einschließlich)."""

    merkmal: str
    wert: bool | int
    quelle: str
    gueltig_ab: dt.date | None
    gueltig_bis: dt.date | None


@dataclass(frozen=True)
class Typaenderung:
    """Eine Statusänderung (aus ``typaenderungen.yaml``)."""

    ags: str
    name: str
    typ_bis: str
    typ_ab: str
    gueltig_ab: dt.date
    quelle: str


@dataclass(frozen=True)
class Bestand:
    eintraege: dict[str, tuple[Eintrag, ...]]  # AGS → Einträge
    typaenderungen: tuple[Typaenderung, ...]


_ERLAUBT = {"engine.kommunen.tatsachen": frozenset({"Bestand", "Eintrag", "Typaenderung"}),
            "datetime": frozenset({"date"})}


def _baue() -> Bestand:
    from engine.kommunen.tatsachenlisten import listen

    listen_, typen = listen()
    eintraege: dict[str, list[Eintrag]] = {}
    for liste in listen_:
        stand = f", Stand {liste.stand:%d.%m.%Y}" if liste.stand else ""
        wert = merkmalswert(MERKMALE[liste.merkmal], liste.wert)
        for e in liste.kommunen:
            eintraege.setdefault(e.ags, []).append(
                Eintrag(liste.merkmal, wert, f"{liste.quelle}{stand}", e.gueltig_ab, e.gueltig_bis))
    aenderungen = tuple(Typaenderung(t.ags, t.name, t.typ_bis, t.typ_ab, t.gueltig_ab, t.quelle)
                        for t in (typen.typaenderungen if typen is not None else ()))
    return Bestand({ags: tuple(liste) for ags, liste in eintraege.items()}, aenderungen)


def _quellen() -> list:
    from importlib import resources

    ordner = resources.files("engine.daten").joinpath("tatsachen")
    code = Path(__file__).resolve().parent
    return [*sorted((d for d in ordner.iterdir() if d.name.endswith(".yaml")), key=lambda d: d.name),
            code / "tatsachen.py", code / "tatsachenlisten.py", code / "profil.py", code.parent / "felder.py"]


@lru_cache(maxsize=1)
def bestand() -> Bestand:
    """Der Bestand aus dem Zwischenspeicher, sonst aus den geprüften Listen (und dann gespeichert)."""
    schluessel = zwischenspeicher.fingerabdruck(_quellen(), "tatsachen 1")
    if schluessel is not None:
        gespeichert = zwischenspeicher.lies("tatsachen", schluessel, _ERLAUBT)
        if isinstance(gespeichert, Bestand):
            return gespeichert
    neu = _baue()
    if schluessel is not None:
        zwischenspeicher.schreibe("tatsachen", schluessel, neu)
    return neu


def listen():
    """Die geprüften Listen (pydantic, aus ``tatsachenlisten``) – für Prüfungen und Werkzeuge; die Auswertung liest den
    ``Bestand``."""
    from engine.kommunen.tatsachenlisten import listen as geprueft

    return geprueft()


def _gilt(eintrag, stichtag: dt.date) -> bool:
    return (eintrag.gueltig_ab is None or eintrag.gueltig_ab <= stichtag) and \
        (eintrag.gueltig_bis is None or stichtag <= eintrag.gueltig_bis)


def tatsachen(ags: str, stichtag: dt.date) -> list[Tatsache]:
    """Die belegten Merkmale einer Kommune am Stichtag (bei Widerspruch zweier Listen: keine Aussage)."""
    gefunden: dict[str, list[Tatsache]] = {}
    for eintrag in bestand().eintraege.get(ags, ()):
        if _gilt(eintrag, stichtag):
            gefunden.setdefault(eintrag.merkmal, []).append(Tatsache(eintrag.merkmal, eintrag.wert, eintrag.quelle))
    return [t[0] for t in gefunden.values() if len({x.wert for x in t}) == 1]


def typaenderung(ags: str, stichtag: dt.date) -> Typaenderung | None:
    """Eine Statusänderung, die am Stichtag schon gilt (die jüngste, falls mehrere)."""
    passend = [t for t in bestand().typaenderungen if t.ags == ags and t.gueltig_ab <= stichtag]
    return max(passend, key=lambda t: t.gueltig_ab) if passend else None


def ausgegliedert(kreis_ags: str, stichtag: dt.date) -> list[Typaenderung]:
    """Gemeinden, die den Kreis bis zum Stichtag verlassen haben (kreisfrei geworden)."""
    return [t for t in bestand().typaenderungen if t.ags[:5] == kreis_ags and t.typ_ab == "kreisfreie_stadt"
            and t.gueltig_ab <= stichtag]


__all__ = ["Tatsache", "Typaenderung", "Bestand", "bestand", "listen", "tatsachen", "typaenderung", "ausgegliedert"]
