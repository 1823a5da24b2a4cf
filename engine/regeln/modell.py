"""Die Regeln, wie die Auswertung sie sieht: unveränderliche Datenklassen, ohne pydantic.

Geprüft wird eine Regeldatei gegen ``format.py`` (pydantic, mit deutschen Meldungen an der Stelle in der Datei);
``format.in_laufzeit`` macht daraus diese Klassen mit denselben Feldern. Getrennt, damit ein Kaltstart aus dem
Zwischenspeicher (``check --ags``) pydantic nie laden muss: Klassenbau und Importe kosteten dort mehr als die ganze
Auswertung.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import Enum
from fractions import Fraction
from typing import Any, Union

from engine.begriffe import Art, Pruefstatus, Rolle, Verbindlichkeit

SCHEMA_VERSION = 1

OPERATOR_ZEICHEN = {"gt": ">", "gte": "≥", "lt": "<", "lte": "≤", "eq": "=", "ne": "≠", "in": "∈"}
OPERATOR_TEXT = {
    "gt": "mehr als",
    "gte": "mindestens",
    "lt": "weniger als",
    "lte": "höchstens",
    "eq": "gleich",
    "ne": "ungleich",
    "in": "eines von",
}
GEGENTEIL = {"gt": "lte", "gte": "lt", "lt": "gte", "lte": "gt", "eq": "ne", "ne": "eq"}

_daten = dataclass(frozen=True, kw_only=True)


@_daten
class Vergleich:
    """Ein Feld des Profils (oder ein Merkmal, ein Anteil) wird mit einem festen Wert verglichen."""

    feld: str
    op: str
    wert: Any
    bezeichnung: str | None = None


@_daten
class Alle:
    alle: list


@_daten
class Eine:
    eine: list


@_daten
class Nicht:
    nicht: Any


@_daten
class RegelBezug:
    """Bezug auf eine abgeleitete Schlussfolgerung einer anderen Regel (Vorwärtsverkettung)."""

    regel: str
    zustand: str = "erfuellt"
    durch: str | None = None


Bedingung = Union[Vergleich, Alle, Eine, Nicht, RegelBezug]


@_daten
class Recherche:
    """Was gesucht wurde und wann (``format.Recherche``)."""

    am: dt.date
    gesucht: str
    ergebnis: str | None = None


@_daten
class Zitat:
    """Strukturierte Fundstelle (Felder und Bedeutung: ``format.Zitat``)."""

    norm: str
    gesetz: str
    amtliche_fundstelle: str | None = None
    url: str
    wortlaut: str | None = None
    quelle_wortlaut: str | None = None
    inhalt: str | None = None
    quelle_inhalt: str | None = None
    fassung: str | None = None
    abgerufen: dt.date | None = None
    pruefstatus: Pruefstatus
    pruefhinweis: str | None = None
    norm_ermittelt: bool = True
    zustaendigkeit_belegt_durch: str | None = None
    recherche: Recherche | None = None


@_daten
class Version:
    """Eine zeitliche Fassung: gilt von ``gueltig_ab`` bis ``gueltig_bis`` (beide einschließlich)."""

    gueltig_ab: dt.date
    gueltig_bis: dt.date | None = None
    bedingung: Bedingung | None = None
    zitat: Zitat
    rechtsfolge: str | None = None
    hinweis: str | None = None
    luecke_davor: str | None = None

    def gilt_am(self, tag: dt.date) -> bool:
        return self.gueltig_ab <= tag and (self.gueltig_bis is None or tag <= self.gueltig_bis)


MAX_STELLEN = 1000  # Vollzeitstellen je Kommune; das größte Kostenmodell rechnet mit 6,5


def stellenbruch(wert: int | float) -> Fraction:
    """Eine geprüfte Stellenzahl (``format.Stellenzahl``) exakt: 0.1 ist 1/10 (über die Dezimaldarstellung), nicht
    der Binärwert."""
    return Fraction(wert) if isinstance(wert, int) else Fraction(Decimal(repr(wert)))


@_daten
class Staffelstufe:
    einwohner_ab: int
    einwohner_bis: int | None = None
    betrag: int
    text: str | None = None


@_daten
class Zusatzbetrag:
    bezeichnung: str
    betrag: int


@_daten
class Betragsparameter:
    gueltig_ab: dt.date
    gueltig_bis: dt.date | None = None
    berechnung: str
    betrag: int | None = None
    stellen: int | float | None = None
    foerdersatz: int | float | str | None = None
    bemessungsgrenze: int | None = None
    hoechstbetrag: int | None = None
    staffel: list = field(default_factory=list)
    zusatz: list = field(default_factory=list)
    abhaengig_von: str | None = None
    einmalig: bool = False
    laufzeit: str | None = None
    quelle: str | None = None

    def gilt_am(self, tag: dt.date) -> bool:
        return self.gueltig_ab <= tag and (self.gueltig_bis is None or tag <= self.gueltig_bis)


@_daten
class Foerderung:
    programm: str
    foerdergeber: str
    bewilligungsbehoerde: str | None = None
    haushaltsvorbehalt: bool = True
    antragsfrist: str | None = None
    antragsfrist_jaehrlich: str | None = None
    foerderzeitraum: str | None = None
    voraussetzungen: list = field(default_factory=list)
    parameter: list = field(default_factory=list)
    nach_ende: str = "unbestaetigt"
    nachfolger: str | None = None

    def parameter_am(self, tag: dt.date) -> Betragsparameter | None:
        for p in self.parameter:
            if p.gilt_am(tag):
                return p
        return None


@_daten
class Stellenstufe:
    ab: int
    stellen: int | float


@_daten
class Kostenmodell:
    groesse: str
    stufen: list
    kosten_je_stelle_von: int
    kosten_je_stelle_bis: int
    quelle_kosten: str

    def stellen(self, groesse: int) -> Fraction:
        ergebnis = Fraction(0)
        for stufe in self.stufen:
            if groesse >= stufe.ab:
                ergebnis = stellenbruch(stufe.stellen)
        return ergebnis


@_daten
class Szenarioangaben:
    name: str
    fundstelle: str
    passage: str
    kostenmodell: Kostenmodell | None = None
    neu_verpflichtet_gegenueber: str | None = None


@_daten
class Regel:
    """Eine Regeldatei (Felder und Bedeutung: ``format.Regel`` und docs/regelformat.md)."""

    schema_version: int = SCHEMA_VERSION
    id: str
    land: str
    titel: str
    rolle: Rolle = Rolle.regel
    art: Art | None = None
    gegenstand: str
    verbindlichkeit: Verbindlichkeit | None = None
    stand: dt.date
    typen: list
    rechtsfolge: str
    ausnahme_zu: list = field(default_factory=list)
    vereinbar_mit: list = field(default_factory=list)
    abweichung_studie: str | None = None
    hinweis: str | None = None
    aufgabentyp: str | None = None
    foerderung: Foerderung | None = None
    abdeckung_ab: dt.date | None = None
    entwurf: bool = False
    szenario: Szenarioangaben | None = None
    versionen: list

    def version_am(self, tag: dt.date) -> tuple[int, Version] | None:
        for index, version in enumerate(self.versionen):
            if version.gilt_am(tag):
                return index, version
        return None


def ersetzt(objekt, **aenderungen):
    """Eine Kopie mit geänderten Feldern (ohne erneute Prüfung: die Werte stammen aus geprüften Regeln)."""
    return dataclasses.replace(objekt, **aenderungen)


def als_daten(objekt) -> Any:
    """Als JSON-fähige Daten, wie in der Regeldatei: ohne leere Felder und ohne Standardwerte (für die API)."""
    if dataclasses.is_dataclass(objekt):
        ergebnis = {}
        for f in dataclasses.fields(objekt):
            wert = getattr(objekt, f.name)
            if wert is None:
                continue
            if f.default is not dataclasses.MISSING and wert == f.default:
                continue
            if f.default_factory is not dataclasses.MISSING and wert == f.default_factory():
                continue
            ergebnis[f.name] = als_daten(wert)
        return ergebnis
    if isinstance(objekt, list):
        return [als_daten(w) for w in objekt]
    if isinstance(objekt, Enum):
        return objekt.value
    if isinstance(objekt, dt.date):
        return objekt.isoformat()
    return objekt


def prozentwert(wert: Any) -> Fraction:
    """Schwellenwert eines Anteils (in vom Hundert) exakt als Bruch; Gleitkomma über seine Dezimaldarstellung."""
    if isinstance(wert, bool):
        raise ValueError("ein Anteil braucht eine Zahl, keinen Wahrheitswert")
    if isinstance(wert, int):
        return Fraction(wert)
    try:
        dezimal = Decimal(str(wert).replace(",", ".").removesuffix("%").strip())
    except (InvalidOperation, ValueError):
        raise ValueError(f"„{wert}“ ist kein Prozentwert") from None
    # „Infinity“, „NaN“ und Exponenten wie 1e999999999 (ein Bruch mit einer Milliarde Stellen) sind keine Anteile
    if not dezimal.is_finite() or abs(dezimal.adjusted()) > 12:
        raise ValueError(f"„{wert}“ ist keine endliche Zahl in sinnvoller Größe")
    return Fraction(dezimal)


__all__ = ["Vergleich", "Alle", "Eine", "Nicht", "RegelBezug", "Bedingung", "Recherche", "Zitat", "Version", "Staffelstufe",
           "Zusatzbetrag", "Betragsparameter", "Foerderung", "Stellenstufe", "Kostenmodell", "Szenarioangaben", "Regel",
           "ersetzt", "als_daten", "prozentwert", "stellenbruch", "MAX_STELLEN", "OPERATOR_ZEICHEN", "OPERATOR_TEXT", "GEGENTEIL", "SCHEMA_VERSION"]
