"""Das Kommunenprofil als pydantic-Modell: die Prüfung von Profildateien, API-Eingaben, eigenen Zahlen und jedem
direkt angelegten ``Kommune``-Objekt.

Zahlen müssen echte ganze Zahlen sein (kein Text, kein Wahrheitswert): durable-rules vergleicht Text mit
Zahlen sonst lexikografisch ("600" ≥ 5000 wäre wahr). Geprüft wird hier; ausgewertet wird die Laufzeitform
(``profil.Kommune``, eine Datenklasse) – so lädt ein Kaltstart mit mitgelieferten Daten pydantic nie.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, field_validator, model_validator

from engine.begriffe import KOMMUNALTYPEN, LAENDER
from engine.datum import FRUEHESTES, SPAETESTES, lies_datum
from engine.felder import MERKMALE, OBERGRENZE_EINWOHNER
from engine.kommunen import profil
from engine.kommunen.profil import MAX_NAME, MAX_TEXT
from engine.zahlen import zahl


# Wie eine eigene Zahl ausländischer Einwohner gezählt ist (Texte: ``profil.ZAEHLWEISEN``)
Zaehlweise = Literal["melderegister", "azr", "fortschreibung", "sonstige"]


class Spanne(BaseModel):
    """Bereich, in dem der wahre Wert liegt (beide Grenzen einschließlich)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    von: StrictInt = Field(ge=0, le=OBERGRENZE_EINWOHNER)
    bis: StrictInt = Field(ge=0, le=OBERGRENZE_EINWOHNER)

    @model_validator(mode="after")
    def _geordnet(self) -> "Spanne":
        if self.bis < self.von:
            raise ValueError(f"die Spanne endet ({self.bis}) vor ihrem Anfang ({self.von})")
        return self


class Unsicherheit(BaseModel):
    """Wie genau die Zahlen sind: geschätzte Werte liegen in einer Spanne; der Grund wird im Ergebnis genannt."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    einwohner: Spanne | None = None
    auslaendische_einwohner: Spanne | None = None
    grund: StrictStr = Field(min_length=3, max_length=MAX_TEXT, description="z. B. „Zensus-Anteil auf 0,1 Prozentpunkte gerundet“")


class Kommune(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    name: StrictStr = Field(min_length=1, max_length=MAX_NAME)
    ags: StrictStr | None = Field(None, description="Amtlicher Gemeindeschlüssel, 8 Ziffern (Kreise: 5 Ziffern)")
    land: StrictStr
    typ: StrictStr
    einwohner: StrictInt = Field(ge=1, le=OBERGRENZE_EINWOHNER)
    auslaendische_einwohner: StrictInt = Field(ge=0, le=OBERGRENZE_EINWOHNER)
    quelle: StrictStr | None = Field(None, max_length=MAX_TEXT, description="Herkunft der Zahlen mit Stichtag")
    stichtag_daten: dt.date | None = Field(None, description="Stichtag der Zahlen")
    kreis: StrictStr | None = Field(None, max_length=MAX_NAME)
    merkmale: dict[StrictStr, StrictBool | StrictInt | None] = Field(
        default_factory=dict,
        description="Tatsachen, nach denen Normen fragen: ja/nein (bzw. eine Zahl) oder unbekannt; nicht genannt = unbekannt")
    merkmal_quellen: dict[StrictStr, Annotated[StrictStr, Field(max_length=MAX_TEXT)]] = Field(
        default_factory=dict, description="woher ein bekanntes Merkmal stammt (amtliche Liste, eigene Angabe)")
    unsicherheit: Unsicherheit | None = Field(None, description="Spannen für geschätzte Zahlen")
    auslaendische_einwohner_zaehlweise: Zaehlweise | None = Field(
        None, description="wie die eigene Zahl der ausländischen Einwohner gezählt ist (melderegister, azr, "
                          "fortschreibung, sonstige); die Gesetze meinen das Melderegister")
    auslaendische_einwohner_stand: dt.date | None = Field(None, description="Stichtag der eigenen Zahl der "
                                                                             "ausländischen Einwohner")
    typ_herleitung: StrictStr | None = Field(None, max_length=MAX_TEXT, description="wie der Kommunaltyp ermittelt wurde, wenn nicht angegeben")

    @field_validator("stichtag_daten", "auslaendische_einwohner_stand", mode="before")
    @classmethod
    def _stichtag_daten(cls, wert: Any) -> Any:
        """Ein Datum, keine Zahl: pydantic nähme sonst ``0`` als 01.01.1970 (Unix-Zeit) an."""
        if wert is None:
            return wert
        if isinstance(wert, dt.datetime):
            wert = wert.date()
        if isinstance(wert, dt.date):
            if not FRUEHESTES <= wert <= SPAETESTES:
                raise ValueError(f"{wert:%d.%m.%Y} liegt außerhalb des unterstützten Zeitraums "
                                 f"({FRUEHESTES:%d.%m.%Y} bis {SPAETESTES:%d.%m.%Y})")
            return wert
        if isinstance(wert, str):
            return lies_datum(wert)
        raise ValueError("erwartet ein Datum wie 2024-12-31 oder 31.12.2024, keine Zahl")

    @field_validator("land")
    @classmethod
    def _land(cls, wert: str) -> str:
        if wert not in LAENDER:
            raise ValueError(f"unbekanntes Land „{wert}“; erlaubt: {' '.join(LAENDER)}")
        return wert

    @field_validator("typ")
    @classmethod
    def _typ(cls, wert: str) -> str:
        if wert not in KOMMUNALTYPEN:
            raise ValueError(f"unbekannter Kommunaltyp „{wert}“; erlaubt: {', '.join(KOMMUNALTYPEN)}")
        return wert

    @field_validator("ags")
    @classmethod
    def _ags(cls, wert: str | None) -> str | None:
        if wert is not None and not (wert.isascii() and wert.isdigit() and len(wert) in (5, 8)):
            raise ValueError("der AGS besteht aus 8 Ziffern (Kreise: 5), in Anführungszeichen, z. B. \"06413000\"")
        return wert

    @field_validator("merkmale", mode="before")
    @classmethod
    def _merkmale(cls, werte: Any) -> Any:
        """ja/nein/unbekannt (auch true/false) für Wahrheitswerte, eine ganze Zahl oder unbekannt für Anzahlen."""
        if not isinstance(werte, dict):
            return werte
        ergebnis: dict[str, Any] = {}
        for name, wert in werte.items():
            feld = MERKMALE.get(name) if isinstance(name, str) else None
            if feld is None:
                raise ValueError(f"unbekanntes Merkmal „{name}“; erlaubt: {', '.join(MERKMALE)}")
            ergebnis[name] = profil.merkmalswert(feld, wert)
        return ergebnis

    @field_validator("merkmal_quellen")
    @classmethod
    def _merkmal_quellen(cls, werte: dict[str, str]) -> dict[str, str]:
        for name in werte:
            if name not in MERKMALE:
                raise ValueError(f"merkmal_quellen nennt das unbekannte Merkmal „{name}“; erlaubt: {', '.join(MERKMALE)}")
        return werte

    @model_validator(mode="after")
    def _stimmig(self) -> "Kommune":
        if self.auslaendische_einwohner > self.einwohner:
            raise ValueError(
                f"mehr ausländische Einwohner ({zahl(self.auslaendische_einwohner)}) als Einwohner ({zahl(self.einwohner)})"
            )
        land = LAENDER[self.land]
        if self.ags is not None and not self.ags.startswith(land.ags_prefix):
            raise ValueError(
                f"der AGS {self.ags} gehört nicht zu {land.name} (AGS in {land.name} beginnen mit {land.ags_prefix})"
            )
        if self.unsicherheit is not None:
            for feld in ("einwohner", "auslaendische_einwohner"):
                spanne = getattr(self.unsicherheit, feld)
                wert = getattr(self, feld)
                if spanne is not None and not spanne.von <= wert <= spanne.bis:
                    raise ValueError(f"unsicherheit: {feld} {wert} liegt nicht in der Spanne {spanne.von} bis {spanne.bis}")
            e = self.unsicherheit.einwohner
            a = self.unsicherheit.auslaendische_einwohner
            if e is not None and e.von < 1:
                raise ValueError("unsicherheit: die Einwohnerzahl muss mindestens 1 sein")
            if a is not None and e is not None and a.von > e.bis:
                raise ValueError("unsicherheit: mehr ausländische Einwohner als Einwohner")
        if self.typ not in land.typen:
            erlaubt = ", ".join(land.typen)
            raise ValueError(f"den Kommunaltyp „{self.typ}“ gibt es in {land.name} nicht (dort: {erlaubt})")
        return self


def in_laufzeit(objekt: Any) -> Any:
    """Das geprüfte Modell als Laufzeitform (``profil.Kommune``, ``profil.Unsicherheit``, ``profil.Spanne``)."""
    if isinstance(objekt, BaseModel):
        klasse = getattr(profil, type(objekt).__name__)
        return klasse.vertraut(**{name: in_laufzeit(getattr(objekt, name)) for name in type(objekt).model_fields})
    return objekt


def als_eingabe(objekt: Any) -> Any:
    """Eine Laufzeitform (auch verschachtelt) als Eingabe für die Prüfung."""
    if isinstance(objekt, (profil.Kommune, profil.Unsicherheit, profil.Spanne)):
        return {name: als_eingabe(wert) for name, wert in objekt.__dict__.items()}
    return objekt


def pruefe(klasse: str, werte: dict) -> dict:
    """Die Felder einer Laufzeitklasse (``Kommune``, ``Unsicherheit``, ``Spanne``) geprüft und umgewandelt; sonst
    ``pydantic.ValidationError`` (ein ``ValueError``)."""
    geprueft = globals()[klasse].model_validate({k: als_eingabe(v) for k, v in werte.items()})
    return {name: in_laufzeit(getattr(geprueft, name)) for name in type(geprueft).model_fields}
