"""Die Listen der Tatsachen (``engine/daten/tatsachen/*.yaml``) als pydantic-Modelle: Form und Prüfung.

Was die Einträge bedeuten und wie sie gelten, steht in ``tatsachen.py``; dort entsteht aus den geprüften Listen der
schlanke Bestand, den der Zwischenspeicher aufbewahrt (ein Kaltstart liest keine YAML-Datei und lädt pydantic nicht).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

from engine.felder import MERKMALE
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


class Einrichtung(_Streng):
    """Eine Erstaufnahmeeinrichtung (``erstaufnahme.yaml``; Bedeutung: ``erstaufnahme.py``)."""

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


class Erstaufnahmeliste(_Streng):
    beschreibung: StrictStr
    hinweis: StrictStr | None = None
    einrichtungen: list[Einrichtung]


ERSTAUFNAHME = "erstaufnahme.yaml"


def dateien() -> list:
    ordner = resources.files("engine.daten").joinpath("tatsachen")
    return sorted((d for d in ordner.iterdir() if d.name.endswith(".yaml")), key=lambda d: d.name)


@lru_cache(maxsize=1)
def listen() -> tuple[tuple[Liste, ...], Typaenderungen | None]:
    """Alle mitgelieferten Listen, geprüft (ein Fehler hier ist ein Fehler des Pakets, kein Eingabefehler)."""
    ergebnis, typen = [], None
    for datei in dateien():
        dokument = lese_text(datei.read_text(encoding="utf-8"), f"engine/daten/tatsachen/{datei.name}")
        if datei.name == "typaenderungen.yaml":
            typen = validiere(Typaenderungen, dokument)
            continue
        if datei.name == ERSTAUFNAHME:  # keine Merkmalsliste: Plätze für die Schätzung (erstaufnahme.py)
            continue
        liste = validiere(Liste, dokument)
        if liste.merkmal not in MERKMALE:
            raise ValueError(f"{datei.name}: unbekanntes Merkmal {liste.merkmal}")
        ergebnis.append(liste)
    return tuple(ergebnis), typen


def erstaufnahmeliste() -> Erstaufnahmeliste:
    """Die Erstaufnahmeeinrichtungen, geprüft."""
    datei = resources.files("engine.daten").joinpath("tatsachen").joinpath(ERSTAUFNAHME)
    return validiere(Erstaufnahmeliste,
                     lese_text(datei.read_text(encoding="utf-8"), f"engine/daten/tatsachen/{ERSTAUFNAHME}"))
