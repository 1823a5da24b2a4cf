"""Feste Begriffe der Domäne: Länder, Kommunaltypen, Verbindlichkeit, Status.

Die Typen bilden eine kleine Taxonomie: eine Regel für ``gemeinde`` gilt auch für jeden Typ, der
``gemeinde`` als Oberbegriff hat (z. B. später ``grosse_kreisstadt``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from enum import Enum


class Verbindlichkeit(str, Enum):
    """Modalität der Norm: ``muss`` (Pflicht), ``soll`` (Regelpflicht), ``kann`` (Ermessen/Option)."""

    muss = "muss"
    soll = "soll"
    kann = "kann"


class Art(str, Enum):
    pflicht = "pflicht"
    foerderung = "foerderung"
    hinweis = "hinweis"


class Status(str, Enum):
    """``gilt``; ``entfaellt`` = durch eine Ausnahme verdrängt; ``unbestimmt`` = aus den Angaben nicht entscheidbar."""

    gilt = "gilt"
    entfaellt = "entfaellt"
    unbestimmt = "unbestimmt"


class Rolle(str, Enum):
    """``regel``: eigenes Ergebnis; ``ausnahme``: verdrängt die Regeln in ``ausnahme_zu`` (Status ``entfaellt``)."""

    regel = "regel"
    ausnahme = "ausnahme"


class Pruefstatus(str, Enum):
    """Wie gut der zitierte Wortlaut belegt ist; Rechtsberater sehen daran, was noch zu prüfen ist."""

    amtlich = "amtlich"  # mit amtlicher Quelle (Gesetzblatt, Landesportal) abgeglichen
    verifiziert = "verifiziert"  # wörtlich in verlässlicher konsolidierter Fassung gefunden
    sekundaerquelle = "sekundaerquelle"  # Wortlaut nur aus Sekundärquellen (Satzungen, Vorlagen, Presse)
    unverifiziert = "unverifiziert"  # Wortlaut oder Norm nicht gefunden; Inhalt nach Sekundärangaben


PRUEFSTATUS_TEXT = {
    Pruefstatus.amtlich: "mit amtlicher Quelle abgeglichen",
    Pruefstatus.verifiziert: "Wortlaut verifiziert",
    Pruefstatus.sekundaerquelle: "Wortlaut nur aus Sekundärquelle – bitte amtlich prüfen",
    Pruefstatus.unverifiziert: "Wortlaut nicht verifiziert – Inhalt nach Sekundärangaben, bitte prüfen",
}


FLAECHENLAND_TYPEN = ("gemeinde", "kreisfreie_stadt", "landkreis", "verbandsgemeinde")


@dataclass(frozen=True)
class Land:
    code: str
    name: str
    ags_prefix: str
    stadtstaat: bool = False
    typen: tuple[str, ...] = FLAECHENLAND_TYPEN  # Kommunaltypen, die es in diesem Land gibt


LAENDER: dict[str, Land] = {
    land.code: land
    for land in (
        Land("SH", "Schleswig-Holstein", "01"),
        Land("HH", "Hamburg", "02", stadtstaat=True, typen=("stadtstaat", "bezirk")),
        Land("NI", "Niedersachsen", "03"),
        Land("HB", "Bremen", "04", stadtstaat=True, typen=("kreisfreie_stadt",)),
        Land("NW", "Nordrhein-Westfalen", "05", typen=("gemeinde", "kreisfreie_stadt", "landkreis")),
        Land("HE", "Hessen", "06", typen=("gemeinde", "kreisfreie_stadt", "landkreis")),
        Land("RP", "Rheinland-Pfalz", "07"),
        Land("BW", "Baden-Württemberg", "08"),
        Land("BY", "Bayern", "09"),
        Land("SL", "Saarland", "10", typen=("gemeinde", "landkreis")),
        Land("BE", "Berlin", "11", stadtstaat=True, typen=("stadtstaat", "bezirk")),
        Land("BB", "Brandenburg", "12"),
        Land("MV", "Mecklenburg-Vorpommern", "13"),
        Land("SN", "Sachsen", "14"),
        Land("ST", "Sachsen-Anhalt", "15"),
        Land("TH", "Thüringen", "16"),
    )
}

LAND_NACH_AGS_PREFIX = {land.ags_prefix: land for land in LAENDER.values()}


@dataclass(frozen=True)
class Kommunaltyp:
    code: str
    bezeichnung: str
    oberbegriffe: tuple[str, ...] = ()
    definition: str = ""


KOMMUNALTYPEN: dict[str, Kommunaltyp] = {
    t.code: t
    for t in (
        Kommunaltyp(
            "gemeinde",
            "kreisangehörige Gemeinde",
            definition="Gemeinde, die einem Landkreis (Kreis) angehört.",
        ),
        Kommunaltyp(
            "kreisfreie_stadt",
            "kreisfreie Stadt",
            definition="Gemeinde ohne Kreiszugehörigkeit (in Baden-Württemberg: Stadtkreis); nimmt Kreisaufgaben selbst wahr.",
        ),
        Kommunaltyp(
            "landkreis",
            "Landkreis",
            definition="Gemeindeverband und Gebietskörperschaft; in Nordrhein-Westfalen und Schleswig-Holstein „Kreis“.",
        ),
        Kommunaltyp(
            "verbandsgemeinde",
            "Verbandsgemeinde, Amt, Samtgemeinde oder Verwaltungsgemeinschaft",
            definition="Gemeindeverband unterhalb des Kreises, dem kreisangehörige Gemeinden angehören.",
        ),
        Kommunaltyp(
            "bezirk",
            "Bezirk (Berlin, Hamburg)",
            definition="Bezirk eines Stadtstaats; keine eigene Gebietskörperschaft.",
        ),
        Kommunaltyp(
            "stadtstaat",
            "Stadtstaat (Land und Gemeinde zugleich)",
            definition="Berlin und Hamburg als Einheitsgemeinde; Bremen besteht aus den Stadtgemeinden Bremen und Bremerhaven.",
        ),
    )
}


def typ_und_oberbegriffe(typ: str) -> set[str]:
    """Der Typ selbst und alle Oberbegriffe (transitiv)."""
    gesehen: set[str] = set()
    offen = [typ]
    while offen:
        t = offen.pop()
        if t in gesehen:
            continue
        gesehen.add(t)
        offen.extend(KOMMUNALTYPEN[t].oberbegriffe)
    return gesehen


def konkrete_typen(regel_typen: list[str] | tuple[str, ...]) -> list[str]:
    """Alle Typen, auf die eine Regel mit diesen Typen anwendbar ist (Untertypen eingeschlossen)."""
    return list(_konkrete_typen(tuple(regel_typen)))


@lru_cache(maxsize=None)
def _konkrete_typen(regel_typen: tuple[str, ...]) -> tuple[str, ...]:
    gewuenscht = set(regel_typen)
    return tuple(sorted(t for t in KOMMUNALTYPEN if typ_und_oberbegriffe(t) & gewuenscht))


def typ_im_land(typ: str, land: str) -> bool:
    return typ in LAENDER[land].typen


@dataclass(frozen=True)
class Gegenstand:
    code: str
    bezeichnung: str
    vollstaendig: bool  # muss jede Kommune jedes Typs dazu eine Aussage bekommen? (Lückenanalyse)


GEGENSTAENDE: dict[str, Gegenstand] = {
    g.code: g
    for g in (
        Gegenstand(
            "integrationsgremium",
            "Integrationsgremium (Ausländer-/Integrationsbeirat, Integrationsrat, -ausschuss, -kommission, -beauftragte)",
            vollstaendig=True,
        ),
    )
}
