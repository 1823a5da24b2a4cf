"""Förderhöhe aus datierten Parametern berechnen – exakt (Bruch), mit der Rechnung in Worten.

Ergebnis ist immer ein Höchstbetrag („bis zu“) unter Haushaltsvorbehalt, nie eine Zusage.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from engine.zahlen import zahl
from engine.kommunen.profil import Kommune
from engine.regeln.modell import Betragsparameter, Foerderung


@dataclass
class Betrag:
    hoechstbetrag: int | None  # Euro, wenn berechenbar: je Jahr, bei ``einmalig`` für das ganze Vorhaben
    rechnung: str  # wie gerechnet wurde, oder wovon die Höhe abhängt
    parameter_ab: dt.date | None = None
    einmalig: bool = False
    laufzeit: str | None = None

    @property
    def hoechstbetrag_jahr(self) -> int | None:
        """Nur laufende Förderungen haben einen Jahresbetrag; ein einmaliger Betrag ist kein Jahresbetrag."""
        return None if self.einmalig else self.hoechstbetrag

    @property
    def bezug(self) -> str:
        return "einmalig" if self.einmalig else "je Jahr"


def _bruch(wert) -> Fraction:
    if isinstance(wert, int):
        return Fraction(wert)
    return Fraction(Decimal(str(wert).replace(",", ".")))


def euro(betrag: Fraction | int) -> str:
    b = Fraction(betrag)
    if b.denominator == 1:
        return f"{zahl(b.numerator)} €"
    return f"{float(b):,.2f} €".replace(",", "X").replace(".", ",").replace("X", ".")


def _stellen_text(stellen: Fraction) -> str:
    text = zahl(int(stellen)) if stellen.denominator == 1 else f"{float(stellen):g}".replace(".", ",")
    return f"{text} Stelle{'n' if stellen != 1 else ''}"


def berechne(foerderung: Foerderung, kommune: Kommune, stichtag: dt.date) -> Betrag:
    p = foerderung.parameter_am(stichtag)
    if p is None:
        return Betrag(None, "Für diesen Stichtag ist keine Förderhöhe hinterlegt.")
    summe, rechnung = _grundbetrag(p, kommune)
    if summe is not None and p.zusatz:
        for z in p.zusatz:
            summe += z.betrag
            rechnung += f" + {z.bezeichnung} bis zu {euro(z.betrag)}"
        rechnung += f" = {euro(summe)}"
    je = "insgesamt" if p.einmalig else "je Antragsteller und Jahr"
    if summe is None and p.berechnung == "anteil" and p.hoechstbetrag is not None:
        summe = Fraction(p.hoechstbetrag)
        rechnung += f", höchstens {euro(p.hoechstbetrag)} {je}"
    elif summe is not None and p.hoechstbetrag is not None and summe > p.hoechstbetrag:
        rechnung += f"; gedeckelt auf höchstens {euro(p.hoechstbetrag)} {je}"
        summe = Fraction(p.hoechstbetrag)
    if p.einmalig:
        rechnung += " – einmaliger Betrag" + (f" für {p.laufzeit}" if p.laufzeit else "") + ", nicht je Jahr"
    elif p.laufzeit:
        rechnung += f" (Bewilligungszeitraum: {p.laufzeit})"
    if summe is None:
        return Betrag(None, rechnung, p.gueltig_ab, p.einmalig, p.laufzeit)
    return Betrag(int(summe), rechnung, p.gueltig_ab, p.einmalig, p.laufzeit)


def haengt_von_einwohnern(foerderung: Foerderung, stichtag: dt.date) -> bool:
    """Ob ``berechne`` am Stichtag etwas von der Kommune liest – nur eine Staffel ihre Einwohnerzahl; sonst ist der
    Betrag für jede Kommune derselbe (``batch`` bildet ihn dann einmal)."""
    p = foerderung.parameter_am(stichtag)
    return p is not None and p.berechnung == "staffel"


def staffel_im_land(regelbasis, land: str) -> bool:
    """Ob ein Förderprogramm des Landes (oder des Bundes) in irgendeiner Phase nach Einwohnern staffelt – nur dann
    liest ``berechne`` die Kommune. Je Land einmal."""
    cache = regelbasis.__dict__.setdefault("_staffel_im_land", {})
    if land not in cache:
        cache[land] = any(regel.foerderung is not None and any(p.berechnung == "staffel" for p in regel.foerderung.parameter)
                          for regel in regelbasis.fuer_land(land))
    return cache[land]


def _grundbetrag(p: Betragsparameter, kommune: Kommune) -> tuple[Fraction | None, str]:
    stellen = _bruch(p.stellen) if p.stellen is not None else None
    if p.berechnung == "offen":
        return None, f"Höhe hängt ab von: {p.abhaengig_von or 'nicht angegeben'}"
    if p.berechnung == "festbetrag":
        return Fraction(p.betrag), f"Festbetrag bis zu {euro(p.betrag)}" + ("" if p.einmalig else " je Jahr")
    if p.berechnung == "je_stelle":
        s = stellen or Fraction(1)
        summe = s * p.betrag
        return summe, f"{_stellen_text(s)} × bis zu {euro(p.betrag)} je Stelle und Jahr = {euro(summe)}"
    if p.berechnung == "anteil":
        satz = _bruch(p.foerdersatz)
        if p.bemessungsgrenze is None:
            # nur ein Deckel bekannt (z. B. „bis zu 90 % …, maximal 84.280 EUR jährlich“): der Deckel ist die Obergrenze
            return None, f"{_prozent(satz)} der zuwendungsfähigen Ausgaben"
        je_stelle = satz * p.bemessungsgrenze / 100
        s = stellen or Fraction(1)
        summe = je_stelle * s
        text = (f"{_prozent(satz)} der zuwendungsfähigen Ausgaben, bemessen an höchstens {euro(p.bemessungsgrenze)} "
                f"je Stelle = bis zu {euro(je_stelle)} je Stelle")
        if s != 1 or p.stellen is not None:
            text += f"; {_stellen_text(s)} = {euro(summe)}"
        return summe, text
    if p.berechnung == "staffel":
        for stufe in p.staffel:
            if kommune.einwohner >= stufe.einwohner_ab and (stufe.einwohner_bis is None or kommune.einwohner <= stufe.einwohner_bis):
                bis = f" bis {zahl(stufe.einwohner_bis)}" if stufe.einwohner_bis is not None else ""
                grund = f"bei {zahl(kommune.einwohner)} Einwohnern Staffel ab {zahl(stufe.einwohner_ab)}{bis} Einwohner"
                if stellen is not None:
                    summe = stellen * stufe.betrag
                    return summe, f"{grund}: {_stellen_text(stellen)} × bis zu {euro(stufe.betrag)} = {euro(summe)}"
                return Fraction(stufe.betrag), f"{grund}: bis zu {euro(stufe.betrag)} je Jahr" + (
                    f" ({stufe.text})" if stufe.text else "")
        return None, f"Für {zahl(kommune.einwohner)} Einwohner sieht die Staffel keinen Betrag vor."
    raise ValueError(p.berechnung)  # pragma: no cover


def _prozent(p: Fraction) -> str:
    return (f"{p.numerator} %" if p.denominator == 1 else f"{float(p):g} %".replace(".", ","))


def naechste_frist(foerderung: Foerderung, stichtag: dt.date, phase_bis: dt.date | None = None) -> dt.date | None:
    """Nächster Termin einer jährlichen Antragsfrist am oder nach dem Stichtag – nur innerhalb der bestätigten
    Förderphase (``phase_bis``): nach deren Ende wird keine Frist in die Zukunft fortgeschrieben."""
    if not foerderung.antragsfrist_jaehrlich:
        return None
    monat, tag = (int(t) for t in foerderung.antragsfrist_jaehrlich.split("-"))
    for jahr in (stichtag.year, stichtag.year + 1):
        try:
            termin = dt.date(jahr, monat, tag)
        except ValueError:
            termin = dt.date(jahr, monat, 28)
        if termin >= stichtag:
            return termin if phase_bis is None or termin <= phase_bis else None
    return None  # pragma: no cover
