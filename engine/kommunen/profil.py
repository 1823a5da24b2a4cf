"""Das Kommunenprofil: die Angaben, nach denen die Regeln fragen, streng validiert.

Zahlen müssen echte ganze Zahlen sein (kein Text, kein Wahrheitswert): durable-rules vergleicht Text mit
Zahlen sonst lexikografisch ("600" ≥ 5000 wäre wahr).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

from pydantic import (BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, ValidationError, field_validator,
                      model_validator)

from engine.begriffe import KOMMUNALTYPEN, LAENDER
from engine.datum import FRUEHESTES, SPAETESTES, lies_datum
from engine.fehler import EingabeFehler, Fundstelle, Meldung
from engine.felder import MERKMALE, OBERGRENZE_EINWOHNER
from engine.validierung import deutsche_meldungen, validiere
from engine.yamlquelle import Dokument, lese_datei
from engine.zahlen import zahl


class Spanne(BaseModel):
    """Bereich, in dem der wahre Wert liegt (beide Grenzen einschließlich)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    von: StrictInt = Field(ge=0, le=OBERGRENZE_EINWOHNER)
    bis: StrictInt = Field(ge=0, le=OBERGRENZE_EINWOHNER)

    @model_validator(mode="after")
    def _geordnet(self) -> "Spanne":
        if self.bis < self.von:
            raise ValueError(f"die Spanne endet ({self.bis}) vor ihrem Anfang ({self.von})")
        return self


class Unsicherheit(BaseModel):
    """Wie genau die Zahlen sind: geschätzte Werte liegen in einer Spanne; der Grund wird im Ergebnis genannt."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    einwohner: Spanne | None = None
    auslaendische_einwohner: Spanne | None = None
    grund: StrictStr = Field(min_length=3, description="z. B. „Zensus-Anteil auf 0,1 Prozentpunkte gerundet“")


# Wie eine Zahl ausländischer Einwohner gezählt ist – die Gesetze meinen das Melderegister (gemeldete Einwohner).
ZAEHLWEISEN = {"melderegister": "Melderegister", "azr": "Ausländerzentralregister",
               "fortschreibung": "amtliche Bevölkerungsfortschreibung", "sonstige": "sonstige Zählung"}
Zaehlweise = Literal["melderegister", "azr", "fortschreibung", "sonstige"]


class Kommune(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: StrictStr = Field(min_length=1)
    ags: StrictStr | None = Field(None, description="Amtlicher Gemeindeschlüssel, 8 Ziffern (Kreise: 5 Ziffern)")
    land: StrictStr
    typ: StrictStr
    einwohner: StrictInt = Field(ge=1, le=OBERGRENZE_EINWOHNER)
    auslaendische_einwohner: StrictInt = Field(ge=0, le=OBERGRENZE_EINWOHNER)
    quelle: StrictStr | None = Field(None, description="Herkunft der Zahlen mit Stichtag")
    stichtag_daten: dt.date | None = Field(None, description="Stichtag der Zahlen")
    kreis: StrictStr | None = None
    merkmale: dict[StrictStr, StrictBool | StrictInt | None] = Field(
        default_factory=dict,
        description="Tatsachen, nach denen Normen fragen: ja/nein (bzw. eine Zahl) oder unbekannt; nicht genannt = unbekannt")
    merkmal_quellen: dict[StrictStr, StrictStr] = Field(
        default_factory=dict, description="woher ein bekanntes Merkmal stammt (amtliche Liste, eigene Angabe)")
    unsicherheit: Unsicherheit | None = Field(None, description="Spannen für geschätzte Zahlen")
    auslaendische_einwohner_zaehlweise: Zaehlweise | None = Field(
        None, description="wie die eigene Zahl der ausländischen Einwohner gezählt ist (melderegister, azr, "
                          "fortschreibung, sonstige); die Gesetze meinen das Melderegister")
    auslaendische_einwohner_stand: dt.date | None = Field(None, description="Stichtag der eigenen Zahl der "
                                                                             "ausländischen Einwohner")
    typ_herleitung: StrictStr | None = Field(None, description="wie der Kommunaltyp ermittelt wurde, wenn nicht angegeben")

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
            ergebnis[name] = merkmalswert(feld, wert)
        return ergebnis

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

    def merkmal(self, name: str) -> Any:
        """Wert eines Merkmals; ``None`` heißt unbekannt (nicht angegeben oder ausdrücklich „unbekannt“)."""
        return self.merkmale.get(name)

    def unbekannte_merkmale(self) -> list[str]:
        return [name for name in MERKMALE if self.merkmale.get(name) is None]

    def spanne(self, feld: str) -> tuple[int, int]:
        """(von, bis) eines Zahlenfelds; ohne Unsicherheit der Punktwert."""
        wert = getattr(self, feld)
        spanne = getattr(self.unsicherheit, feld, None) if self.unsicherheit else None
        return (spanne.von, spanne.bis) if spanne is not None else (wert, wert)

    def wert(self, feld: str) -> Any:
        if feld in MERKMALE:
            return self.merkmal(feld)
        return getattr(self, feld)


UNBEKANNT = "unbekannt"
_JA = ("ja", "true", "wahr")
_NEIN = ("nein", "false", "falsch")


def merkmalswert(feld, wert: Any) -> bool | int | None:
    """Eingabe eines Merkmals (Datei, Kommandozeile) → True/False, ganze Zahl oder None (unbekannt)."""
    if isinstance(wert, str):
        text = wert.strip().casefold()
        if text == UNBEKANNT:
            return None
        if feld.art == "wahrheitswert" and text in _JA + _NEIN:
            return text in _JA
        if feld.art == "zahl" and text.isascii() and text.isdigit() and len(text) <= 8:
            wert = int(text)
    if wert is None:
        return None
    if feld.art == "wahrheitswert":
        if not isinstance(wert, bool):
            raise ValueError(f"Merkmal „{feld.name}“ ist ja, nein oder unbekannt")
        return wert
    if isinstance(wert, bool) or not isinstance(wert, int) or not 0 <= wert <= OBERGRENZE_EINWOHNER:
        raise ValueError(f"Merkmal „{feld.name}“ ist eine ganze Zahl ≥ 0 oder unbekannt")
    return wert


def mit_merkmalen(kommune: "Kommune", merkmale: tuple, herkunft: str = "eigene Angabe (--merkmal)") -> "Kommune":
    """Tatsachen von der Kommandozeile ersetzen die des Profils bzw. der amtlichen Listen; die Quelle sagt es."""
    if not merkmale:
        return kommune
    werte = dict(kommune.merkmale)
    quellen = dict(kommune.merkmal_quellen)
    for name, wert in merkmale:
        werte[name] = wert
        if wert is None:
            quellen.pop(name, None)
        else:
            quellen[name] = herkunft
    return kommune.model_copy(update={"merkmale": werte, "merkmal_quellen": quellen})


def merkmal_text(wert: Any) -> str:
    if wert is None:
        return UNBEKANNT
    if isinstance(wert, bool):
        return "ja" if wert else "nein"
    return str(wert)


# Felder, die einen Fehler auf Modellebene auslösen, zeigen auf dieses Feld der Datei
_MODELL_FEHLER_FELD = {
    "mehr ausländische": "auslaendische_einwohner",
    "der AGS": "ags",
    "den Kommunaltyp": "typ",
}


def lade_profil(pfad: Path | str) -> Kommune:
    """Profildatei (YAML oder JSON) lesen und validieren."""
    dokument = lese_datei(pfad)
    return profil_aus_dokument(dokument)


def _mit_zahlenangabe(kommune: Kommune) -> Kommune:
    """Nennt das Profil Zählweise oder Stand seiner Zahl ausländischer Einwohner, sagt die Quelle es – jeder Bericht
    zeigt so, welche Zahl er benutzt hat."""
    if kommune.auslaendische_einwohner_zaehlweise is None and kommune.auslaendische_einwohner_stand is None:
        return kommune
    eigene = eigene_zahl_text(kommune.auslaendische_einwohner, kommune.auslaendische_einwohner_zaehlweise,
                              kommune.auslaendische_einwohner_stand)
    text = eigene.replace("eigene Angabe", "Angabe im Profil")
    if kommune.quelle and (eigene in kommune.quelle or text in kommune.quelle):  # z. B. aus --als-profil
        return kommune
    return kommune.model_copy(update={"quelle": text + (f"; {kommune.quelle}" if kommune.quelle else "")})


def profil_aus_dokument(dokument: Dokument) -> Kommune:
    if not isinstance(dokument.daten, dict):
        raise EingabeFehler(
            [
                _meldung(dokument, (), "Ein Profil ist eine Abbildung mit name, land, typ, einwohner, auslaendische_einwohner.")
            ]
        )
    try:
        return _mit_zahlenangabe(validiere(Kommune, dokument))
    except EingabeFehler as fehler:
        for meldung in fehler.meldungen:
            if not meldung.fundstelle.feld:
                for anfang, feld in _MODELL_FEHLER_FELD.items():
                    if meldung.text.startswith(anfang[:1].upper() + anfang[1:]):
                        meldung.fundstelle = dokument.fundstelle((feld,), feld)
            elif meldung.fundstelle.feld == "merkmale":
                # auf die Zeile des betroffenen Merkmals zeigen
                for name in (dokument.daten.get("merkmale") or {}) if isinstance(dokument.daten.get("merkmale"), dict) else {}:
                    if f"„{name}“" in meldung.text:
                        meldung.fundstelle = dokument.fundstelle(("merkmale", name), f"merkmale.{name}")
        raise


def _meldung(dokument: Dokument, pfad: tuple, text: str) -> Meldung:
    return Meldung(dokument.fundstelle(pfad), text)


OPTIONSNAMEN = {"einwohner": "--einwohner", "auslaendische_einwohner": "--auslaendische-einwohner"}


def eigene_zahl_text(auslaendische: int, zaehlweise: str | None, stand: dt.date | None) -> str:
    """„ausländische Einwohner 1.004 (eigene Angabe: Melderegister, Stand 30.06.2025)“ – welche Zahl der Bericht nutzt."""
    teile = [ZAEHLWEISEN[zaehlweise] if zaehlweise else "Zählweise nicht angegeben"]
    teile.append(f"Stand {stand:%d.%m.%Y}" if stand else "Stand nicht angegeben")
    return f"ausländische Einwohner {zahl(auslaendische)} (eigene Angabe: {', '.join(teile)})"


def mit_eigenen_zahlen(kommune: Kommune, einwohner: int | None, auslaendische: int | None,
                       ort: str = "Kommandozeile", namen: dict[str, str] | None = None,
                       zaehlweise: str | None = None, stand: dt.date | None = None) -> Kommune:
    """Eigene Zahlen (Melderegister) ersetzen die mitgelieferten; ihre Spanne entfällt, die Quelle sagt es – bei den
    ausländischen Einwohnern mit Zählweise und Stand, soweit angegeben (die Gesetze zählen gemeldete Einwohner an
    ihrem eigenen Stichtag).

    ``ort`` und ``namen`` bestimmen, wie eine Meldung die Eingabe nennt: „--einwohner“ auf der Kommandozeile, das
    Formularfeld auf der Webseite."""
    if auslaendische is None and (zaehlweise is not None or stand is not None):
        raise EingabeFehler([Meldung(Fundstelle(ort), "Zählweise und Stand beschreiben eine eigene Zahl der "
                                                      "ausländischen Einwohner – bitte die Zahl mit angeben.")])
    if einwohner is None and auslaendische is None:
        return kommune
    namen = OPTIONSNAMEN if namen is None else namen
    daten = kommune.model_dump()
    teile = []
    unsicherheit = kommune.unsicherheit.model_dump() if kommune.unsicherheit else None
    for feld, wert, text in (("einwohner", einwohner, "Einwohner"),
                             ("auslaendische_einwohner", auslaendische, "ausländische Einwohner")):
        if wert is None:
            continue
        daten[feld] = wert
        if feld == "auslaendische_einwohner" and isinstance(wert, int):
            teile.append(eigene_zahl_text(wert, zaehlweise, stand))
            daten["auslaendische_einwohner_zaehlweise"], daten["auslaendische_einwohner_stand"] = zaehlweise, stand
        else:
            teile.append(f"{text} {zahl(wert) if isinstance(wert, int) else wert} (eigene Angabe)")
        if unsicherheit:
            unsicherheit[feld] = None
    if unsicherheit and (unsicherheit["einwohner"] or unsicherheit["auslaendische_einwohner"]):
        daten["unsicherheit"] = Unsicherheit.model_validate(unsicherheit)
    else:
        daten["unsicherheit"] = None
    daten["quelle"] = "; ".join(teile) + (f"; übrige Zahlen: {kommune.quelle}" if kommune.quelle else "")
    try:
        return Kommune.model_validate(daten)
    except ValidationError as exc:
        meldungen = []
        for m in deutsche_meldungen(exc):
            for feld, name in namen.items():
                m = m.replace(f"Feld „{feld}“", name)
            meldungen.append(m)
        raise EingabeFehler([Meldung(Fundstelle(ort), "Die eigenen Zahlen passen nicht: " + " ".join(meldungen))]) from None
