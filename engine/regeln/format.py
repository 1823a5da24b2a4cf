"""Das Regelformat als pydantic-Modelle: eine YAML-Datei = eine Entscheidung auf Normebene.

Semantische Prüfungen, die mehrere Regeln betreffen (Verweise, Zyklen, Zeitachsen), stehen in
``regelpruefung.py``; hier steht nur die Form einer einzelnen Datei. Eine geprüfte Datei wird mit ``in_laufzeit`` zur
Laufzeitform (``modell.py``, Datenklassen mit denselben Feldern), mit der alles Weitere arbeitet. Das JSON Schema
(``regeln schema``) kommt von hier.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any, Literal, Union

from pydantic import (BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, StrictBool, StrictInt, StrictStr, Tag,
                      WithJsonSchema, field_validator, model_validator)

from engine.begriffe import BUND, KOMMUNALTYPEN, LAENDER, Art, Pruefstatus, Rolle, Verbindlichkeit
from engine.regeln import modell
from engine.regeln.modell import MAX_STELLEN, stellenbruch

SCHEMA_VERSION = 1


class _Streng(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


Operator = Literal["gt", "gte", "lt", "lte", "eq", "ne", "in"]

Skalar = Union[StrictBool, StrictInt, float, StrictStr]


class Vergleich(_Streng):
    """Ein Feld des Profils (oder ein Merkmal, ein Anteil) wird mit einem festen Wert verglichen."""

    feld: StrictStr
    op: Operator
    wert: Union[Skalar, list[Skalar]]
    bezeichnung: StrictStr | None = Field(
        None, description="Wie die Norm die Größe nennt, z. B. „gemeldete ausländische Einwohner“."
    )


class Alle(_Streng):
    alle: list["Bedingung"] = Field(description="Alle Teilbedingungen müssen erfüllt sein (und).")


class Eine(_Streng):
    eine: list["Bedingung"] = Field(min_length=1, description="Mindestens eine Teilbedingung muss erfüllt sein (oder).")


class Nicht(_Streng):
    nicht: "Bedingung"


class RegelBezug(_Streng):
    """Bezug auf eine abgeleitete Schlussfolgerung einer anderen Regel (Vorwärtsverkettung)."""

    regel: StrictStr
    zustand: Literal["erfuellt", "entfaellt"] = Field(
        "erfuellt",
        description="erfuellt: Tatbestand der Regel liegt vor; entfaellt: die Regel ist durch eine Ausnahme verdrängt.",
    )
    durch: StrictStr | None = Field(None, description="Nur bei zustand=entfaellt: die verdrängende Ausnahme-Regel.")


def _bedingungsart(wert: Any) -> str | None:
    if isinstance(wert, dict):
        for schluessel in ("feld", "alle", "eine", "nicht", "regel"):
            if schluessel in wert:
                return schluessel
    return None


Bedingung = Annotated[
    Union[
        Annotated[Vergleich, Tag("feld")],
        Annotated[Alle, Tag("alle")],
        Annotated[Eine, Tag("eine")],
        Annotated[Nicht, Tag("nicht")],
        Annotated[RegelBezug, Tag("regel")],
    ],
    Discriminator(
        _bedingungsart,
        custom_error_type="bedingung",
        custom_error_message="Eine Bedingung braucht genau einen der Schlüssel feld, alle, eine, nicht oder regel",
    ),
]

for _m in (Alle, Eine, Nicht):
    _m.model_rebuild()


class Recherche(_Streng):
    """Was gesucht wurde und wann – Pflicht, wo Norm, Fundstelle oder Wortlaut nicht zu finden waren, damit die
    nächste Prüfung dort weitermacht, statt von vorn zu suchen."""

    am: dt.date = Field(description="Tag der Suche")
    gesucht: StrictStr = Field(min_length=10, description="wo und wonach gesucht wurde (Portale, Gesetzblätter, Begriffe)")
    ergebnis: StrictStr | None = Field(None, description="was gefunden wurde oder was fehlt")


class Zitat(_Streng):
    """Strukturierte Fundstelle; Pflicht für jede Version.

    Drei Angaben trennen, was ein Justiziar zitiert, von dem, womit geprüft wurde: ``amtliche_fundstelle`` (die
    Verkündung im Gesetz- oder Amtsblatt), ``url`` (das amtliche Portal des Landes oder die erlassende Stelle –
    nie ein Spiegel) und ``quelle_wortlaut`` mit ``abgerufen`` (wo der Wortlaut abgeglichen wurde; dort darf ein
    Spiegel stehen). ``wortlaut`` ist ausschließlich wörtlicher Text der Norm oder Richtlinie (die Ausgabe setzt
    ihn in Anführungszeichen); eine Umschreibung oder der Satz einer Sekundärquelle gehört nach ``inhalt`` und
    erscheint als „sinngemäß (nach …)“. Mindestens eines von beiden ist anzugeben.
    """

    norm: StrictStr = Field(min_length=3, description="z. B. „§ 84 Satz 1 HGO“")
    gesetz: StrictStr = Field(min_length=3, description="voller Name des Gesetzes")
    amtliche_fundstelle: StrictStr | None = Field(
        None, min_length=5,
        description="Verkündung der Norm im Gesetz- oder Amtsblatt, z. B. „GV. NRW. 2021 S. 1274“, „GVBl. I S. 142“; "
        "bei Richtlinien das Ministerialblatt/der Staatsanzeiger oder die amtliche Veröffentlichung der erlassenden Stelle")
    url: StrictStr = Field(pattern=r"^https?://[^\s]+\.[^\s]+$",
                           description="Link auf den Normtext im amtlichen Portal des Landes oder bei der erlassenden Stelle")
    wortlaut: StrictStr | None = Field(
        None, min_length=10, description="wörtlicher Text der Norm oder Richtlinie (Auszug) – nichts anderes")
    quelle_wortlaut: StrictStr | None = Field(
        None, description="wo der wörtliche Normtext eingesehen wurde (amtliche Fassung, Gesetzblatt, wörtliche Kopie)")
    inhalt: StrictStr | None = Field(
        None, min_length=10, description="Inhalt der Norm in eigenen Worten oder nach einer Sekundärquelle (keine Zitat)")
    quelle_inhalt: StrictStr | None = Field(
        None, description="woher die Inhaltsangabe stammt (z. B. Landesportal, Förderdatenbank, Presse)")
    fassung: StrictStr | None = Field(None, description="Fassung/Stand, z. B. Änderungsgesetz mit Fundstelle")
    abgerufen: dt.date | None = None
    pruefstatus: Pruefstatus
    pruefhinweis: StrictStr | None = Field(None, description="was noch zu prüfen ist")
    norm_ermittelt: StrictBool = Field(
        True, description="false: die genaue Norm ist nicht gefunden; das Ergebnis trägt dann sichtbar den Vorbehalt "
        "„Norm nicht ermittelt“ und ist nie eine schlichte Pflicht")
    zustaendigkeit_belegt_durch: StrictStr | None = Field(
        None, min_length=10, description="nur bei norm_ermittelt: false – wodurch die Zuständigkeit trotzdem belegt ist")
    recherche: Recherche | None = Field(
        None, description="was gesucht wurde und wann, wenn Norm, Fundstelle oder Wortlaut nicht zu finden waren")

    @model_validator(mode="after")
    def _wortlaut_oder_inhalt(self) -> "Zitat":
        if self.wortlaut is None and self.inhalt is None:
            raise ValueError("ein Zitat braucht wortlaut (wörtlicher Normtext) oder inhalt (Inhaltsangabe)")
        if not self.norm_ermittelt:
            if self.zustaendigkeit_belegt_durch is None or self.recherche is None:
                raise ValueError("norm_ermittelt: false braucht zustaendigkeit_belegt_durch und recherche (was wann "
                                 "gesucht wurde)")
            if self.pruefstatus in (Pruefstatus.amtlich, Pruefstatus.verifiziert):
                raise ValueError("eine nicht ermittelte Norm kann nicht amtlich oder verifiziert sein")
        elif self.zustaendigkeit_belegt_durch is not None:
            raise ValueError("zustaendigkeit_belegt_durch gibt es nur bei norm_ermittelt: false")
        if self.wortlaut is None and self.pruefstatus in (Pruefstatus.amtlich, Pruefstatus.verifiziert):
            raise ValueError(f"pruefstatus {self.pruefstatus.value} setzt einen wörtlich abgeglichenen wortlaut voraus; "
                             "ohne wortlaut höchstens sekundaerquelle")
        return self


class Version(_Streng):
    """Eine zeitliche Fassung: gilt von ``gueltig_ab`` bis ``gueltig_bis`` (beide einschließlich)."""

    gueltig_ab: dt.date
    gueltig_bis: dt.date | None = None
    bedingung: Bedingung | None = Field(None, description="fehlt = gilt für jede Kommune der genannten Typen")
    zitat: Zitat
    rechtsfolge: StrictStr | None = Field(None, description="weicht die Rechtsfolge in dieser Fassung ab?")
    hinweis: StrictStr | None = None
    luecke_davor: StrictStr | None = Field(
        None, description="Begründung, warum zwischen der vorigen Fassung und dieser eine Lücke liegt (beabsichtigt)"
    )


def _stellenzahl(wert: Any) -> int | float:
    """Vollzeitstellen als Zahl der Datei – dieselbe Prüfung für ``regeln pruefen``, das Laden und den Bericht: eine
    Zahl (kein Text wie „6,5“, kein Wahrheitswert), endlich, 0 bis ``MAX_STELLEN``, höchstens zwei Nachkommastellen
    (0.25 Stellen, nie 1e-13). Die Laufzeit rechnet mit ``modell.stellenbruch``."""
    if isinstance(wert, bool):
        raise ValueError(f"Stellen sind eine Zahl wie 1 oder 1.5, kein Wahrheitswert ({str(wert).lower()})")
    if isinstance(wert, str):
        raise ValueError(f"„{wert[:40]}“ ist ein Text; Stellen sind eine Zahl in Dezimalschreibweise wie 1 oder 1.5 "
                         "(mit Punkt, ohne Anführungszeichen, ohne Exponent und ohne %)")
    if not isinstance(wert, (int, float)):
        raise ValueError("Stellen sind eine Zahl wie 1 oder 1.5")
    if isinstance(wert, float) and not math.isfinite(wert):
        raise ValueError(f"„{wert}“ ist keine endliche Zahl")
    bruch = stellenbruch(wert)
    if bruch < 0:
        raise ValueError(f"Stellen können nicht negativ sein ({wert})")
    if bruch > MAX_STELLEN:
        raise ValueError(f"höchstens {MAX_STELLEN:,} Stellen je Kommune".replace(",", ".") + f", nicht {wert:g}")
    if (bruch * 100).denominator != 1:
        raise ValueError(f"Stellen mit höchstens zwei Nachkommastellen (z. B. 0.25), nicht {wert}")
    return wert


Stellenzahl = Annotated[Union[int, float], BeforeValidator(_stellenzahl), WithJsonSchema(
    {"type": "number", "minimum": 0, "maximum": MAX_STELLEN,
     "description": "Vollzeitstellen, z. B. 1 oder 1.5 (höchstens zwei Nachkommastellen)"})]


class Staffelstufe(_Streng):
    """Eine Stufe einer nach Einwohnern gestaffelten Förderung (Grenzen einschließlich)."""

    einwohner_ab: StrictInt = Field(ge=0)
    einwohner_bis: StrictInt | None = None
    betrag: StrictInt = Field(ge=0, description="Höchstbetrag in Euro je Jahr (je Stelle, wenn stellen angegeben)")
    text: StrictStr | None = None


class Zusatzbetrag(_Streng):
    bezeichnung: StrictStr
    betrag: StrictInt = Field(ge=0)


class Betragsparameter(_Streng):
    """Datierter Parameter einer Förderung: gilt von ``gueltig_ab`` bis ``gueltig_bis`` (einschließlich)."""

    gueltig_ab: dt.date
    gueltig_bis: dt.date | None = None
    berechnung: Literal["festbetrag", "je_stelle", "anteil", "staffel", "offen"]
    betrag: StrictInt | None = Field(
        None, ge=0, description="festbetrag: Höchstbetrag je Jahr (einmalig: insgesamt); je_stelle: je Stelle")
    stellen: Stellenzahl | None = Field(None, description="Zahl der förderfähigen Stellen, z. B. 2 oder 5.5")
    foerdersatz: Union[StrictInt, float, StrictStr, None] = Field(None, description="anteil: Fördersatz in vom Hundert")
    bemessungsgrenze: StrictInt | None = Field(
        None, ge=0, description="anteil: zuwendungsfähige Ausgaben höchstens (je Stelle); fehlt sie, braucht es hoechstbetrag")
    hoechstbetrag: StrictInt | None = Field(None, ge=0, description="Deckel je Antragsteller und Jahr (einmalig: insgesamt)")
    staffel: list[Staffelstufe] = Field(default_factory=list)
    zusatz: list[Zusatzbetrag] = Field(default_factory=list)
    abhaengig_von: StrictStr | None = Field(None, description="offen: wovon die Höhe abhängt")
    einmalig: StrictBool = Field(
        False, description="true: einmaliger Betrag für das ganze Vorhaben (nicht je Jahr), z. B. für einen Prozess")
    laufzeit: StrictStr | None = Field(None, description="Dauer des geförderten Vorhabens bzw. Bewilligungszeitraum")
    quelle: StrictStr | None = Field(None, description="Beleg der Beträge")


class Foerderung(_Streng):
    """Angaben, die nur Förderprogramme haben; das Ergebnis sagt „grundsätzlich förderfähig“, nie eine Zusage."""

    programm: StrictStr
    foerdergeber: StrictStr
    bewilligungsbehoerde: StrictStr | None = None
    haushaltsvorbehalt: StrictBool = True
    antragsfrist: StrictStr | None = Field(None, description="z. B. „31.10. für das Folgejahr“")
    antragsfrist_jaehrlich: StrictStr | None = Field(
        None, pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$", description="jährliche Frist als MM-TT"
    )
    foerderzeitraum: StrictStr | None = None
    voraussetzungen: list[StrictStr] = Field(default_factory=list, description="Voraussetzungen in Worten")
    parameter: list[Betragsparameter] = Field(default_factory=list)
    nach_ende: Literal["unbestaetigt", "beendet"] = Field(
        "unbestaetigt",
        description="Was nach dem Ende der letzten Fassung gilt: unbestaetigt = Fortführung weder bestätigt noch "
        "ausgeschlossen (die Ausgabe sagt „Förderphase endete am …; Fortführung nicht bestätigt“); beendet = belegt eingestellt",
    )
    nachfolger: StrictStr | None = Field(None, description="id des Nachfolgeprogramms, falls es eines gibt")


class Stellenstufe(_Streng):
    """Eine Stufe des Kostenmodells: ab dieser Größe (einschließlich) so viele Stellen."""

    ab: StrictInt = Field(ge=0, le=10_000_001)
    stellen: Stellenzahl = Field(description="Vollzeitstellen, z. B. 1 oder 1.5")


class Kostenmodell(_Streng):
    """Stellen je verpflichteter Kommune als Stufenfunktion einer Größe, und Kosten je Stelle mit Beleg – für die
    Schätzung der Konnexitätsfolgen (Kap. 7 der Studie). Eine Spanne von bis drückt die Unsicherheit aus."""

    groesse: Literal["einwohner", "auslaendische_einwohner"]
    stufen: list[Stellenstufe] = Field(min_length=1, max_length=50)
    kosten_je_stelle_von: StrictInt = Field(ge=0, le=10_000_000, description="Euro je Stelle und Jahr, untere Annahme")
    kosten_je_stelle_bis: StrictInt = Field(ge=0, le=10_000_000, description="Euro je Stelle und Jahr, obere Annahme")
    quelle_kosten: StrictStr = Field(min_length=10, description="woher die Kosten je Stelle stammen")

    @model_validator(mode="after")
    def _geordnet(self) -> "Kostenmodell":
        grenzen = [s.ab for s in self.stufen]
        if grenzen != sorted(set(grenzen)) or grenzen[0] != 0:
            raise ValueError("die Stufen beginnen bei ab: 0 und steigen streng an")
        if self.kosten_je_stelle_von > self.kosten_je_stelle_bis:
            raise ValueError("kosten_je_stelle_von ist größer als kosten_je_stelle_bis")
        return self


class Szenarioangaben(_Streng):
    """Woher ein Szenario stammt (Fundstelle und wörtliche Passage der Studie) und was es kostet."""

    name: StrictStr = Field(min_length=3)
    fundstelle: StrictStr = Field(min_length=3, description="z. B. „Studie, Kap. 5.2, Tabelle 4“")
    passage: StrictStr = Field(min_length=10, description="wörtliche Passage der Quelle")
    kostenmodell: Kostenmodell | None = None
    neu_verpflichtet_gegenueber: StrictStr | None = Field(
        None, description="Gegenstand, dessen geltende Pflichten ein Szenario ersetzt oder ergänzt (Standard: der eigene)")


class Regel(_Streng):
    """Eine Regeldatei."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)

    schema_version: Literal[1] = SCHEMA_VERSION
    id: StrictStr = Field(pattern=r"^[a-z]{2}(\.[a-z0-9_]+)+$", description="stabil, eindeutig, nie wiederverwendet")
    land: StrictStr
    titel: StrictStr = Field(min_length=3)
    rolle: Rolle = Rolle.regel
    art: Art | None = None
    gegenstand: StrictStr = Field(pattern=r"^[a-z_]+$")
    verbindlichkeit: Verbindlichkeit | None = Field(
        None, description="muss | soll | kann; bei art: hinweis nur kann (eine Option), sonst weglassen (reiner Hinweis)")
    stand: dt.date = Field(description="Tag, an dem die Rechtslage dieser Regel zuletzt recherchiert wurde")
    typen: list[StrictStr] = Field(min_length=1)
    rechtsfolge: StrictStr = Field(min_length=3, description="Rechtsfolge in einfachen Worten")
    ausnahme_zu: list[StrictStr] = Field(default_factory=list)
    vereinbar_mit: list[StrictStr] = Field(
        default_factory=list,
        description="Regeln desselben Gegenstands, die daneben gelten dürfen (z. B. „daneben kann …“); sonst ist "
        "gleichzeitiges Gelten mit anderer Verbindlichkeit eine Überschneidung",
    )
    abweichung_studie: StrictStr | None = Field(
        None, description="wo die Studie (../shared/quellen) die Regel anders darstellt als das Gesetz"
    )
    hinweis: StrictStr | None = None
    aufgabentyp: Literal[
        "pflichtaufgabe_nach_weisung",
        "auftragsangelegenheit",
        "pflichtige_selbstverwaltungsaufgabe",
        "staatliche_aufgabe",
        "freiwillige_selbstverwaltungsaufgabe",
    ] | None = Field(None, description="Art der Aufgabe (Kapitel 3.1 der Studie)")
    foerderung: Foerderung | None = None
    abdeckung_ab: dt.date | None = Field(
        None, description="Beginn des geprüften Zeitraums, wenn die erste Fassung nicht mit dem Inkrafttreten beginnt: "
        "vor diesem Tag sagt die Regelbasis nichts; ein Vergleich über diesen Tag zeigt keine Rechtsänderung")
    entwurf: StrictBool = Field(
        False, description="true: Szenario, kein geltendes Recht (nur in Szenario-Ordnern, nie in rules/<land>)")
    szenario: Szenarioangaben | None = Field(None, description="nur bei entwurf: Herkunft des Szenarios und Kosten")
    versionen: list[Version] = Field(min_length=1)

    @field_validator("land")
    @classmethod
    def _land(cls, wert: str) -> str:
        if wert not in LAENDER and wert != BUND:
            raise ValueError(f"unbekanntes Land „{wert}“; erlaubt: {', '.join(LAENDER)} oder {BUND} (Bund)")
        return wert

    @field_validator("typen")
    @classmethod
    def _typen(cls, werte: list[str]) -> list[str]:
        for wert in werte:
            if wert not in KOMMUNALTYPEN:
                raise ValueError(f"unbekannter Kommunaltyp „{wert}“; erlaubt: {', '.join(KOMMUNALTYPEN)}")
        return werte

    @model_validator(mode="after")
    def _rolle_passt(self) -> "Regel":
        if not self.id.startswith(self.land.lower() + "."):
            raise ValueError(f"die id muss mit dem Landeskürzel beginnen: „{self.land.lower()}.…“")
        if (self.art == Art.foerderung) != (self.foerderung is not None):
            raise ValueError("eine Förderregel (art: foerderung) braucht den Abschnitt foerderung, andere Regeln nicht")
        if self.rolle == Rolle.regel:
            if self.art is None:
                raise ValueError("eine Regel (rolle: regel) braucht art")
            if self.verbindlichkeit is None and self.art != Art.hinweis:
                raise ValueError("eine Pflicht- oder Förderregel braucht verbindlichkeit")
            if self.art == Art.hinweis and self.verbindlichkeit not in (None, Verbindlichkeit.kann):
                raise ValueError("ein Hinweis hat keine Verbindlichkeit (oder kann, wenn er eine Option beschreibt)")
            if self.ausnahme_zu:
                raise ValueError("ausnahme_zu ist nur bei rolle: ausnahme erlaubt")
        else:
            if not self.ausnahme_zu:
                raise ValueError("eine Ausnahme (rolle: ausnahme) braucht ausnahme_zu mit mindestens einer Regel-id")
        if self.abdeckung_ab is not None and self.abdeckung_ab != self.versionen[0].gueltig_ab:
            raise ValueError("abdeckung_ab muss der Beginn der ersten Fassung sein (gueltig_ab von versionen[0])")
        if self.szenario is not None and not self.entwurf:
            raise ValueError("Angaben zum szenario gibt es nur bei entwurf: true")
        return self


def in_laufzeit(objekt: Any) -> Any:
    """Das geprüfte pydantic-Objekt als Laufzeitform (``modell.py``): gleiche Klassennamen, gleiche Felder."""
    if isinstance(objekt, BaseModel):
        klasse = getattr(modell, type(objekt).__name__)
        return klasse(**{name: in_laufzeit(getattr(objekt, name)) for name in type(objekt).model_fields})
    if isinstance(objekt, list):
        return [in_laufzeit(w) for w in objekt]
    return objekt
