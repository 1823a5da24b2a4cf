"""Zeugenprofile: zu jeder Regelfassung ein Profil, das ihren Tatbestand erfüllt.

Grundlage der automatisch aus den Regeldateien erzeugten Grenzwerttests (Schwelle −1, Schwelle, +1;
Tag vor, erster, letzter Tag einer Fassung) und der Lücken-/Überschneidungsanalyse.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from engine.begriffe import BUND, LAENDER, Rolle, konkrete_typen, typ_und_oberbegriffe, typen_im_geltungsbereich
from engine.felder import FELDER, MERKMALE
from engine.kommunen.profil import Kommune
from engine.regeln.basis import Regelbasis
from engine.regeln.logik import Literal, dnf
from engine.regeln.modell import Regel, prozentwert

STANDARD_EINWOHNER = 100_000


@dataclass
class Bereich:
    lo: int = 0
    hi: int = 10_000_000

    def schneide(self, op: str, wert: int) -> None:
        if op == "gt":
            self.lo = max(self.lo, wert + 1)
        elif op == "gte":
            self.lo = max(self.lo, wert)
        elif op == "lt":
            self.hi = min(self.hi, wert - 1)
        elif op == "lte":
            self.hi = min(self.hi, wert)
        elif op == "eq":
            self.lo, self.hi = max(self.lo, wert), min(self.hi, wert)

    def leer(self) -> bool:
        return self.lo > self.hi


def loese(literale: list[Literal], land: str, typ: str, name: str = "Zeuge") -> Kommune | None:
    """Ein Profil, das alle Literale erfüllt (oder ``None``). Regelbezüge müssen vorher aufgelöst sein."""
    zahlen: dict[str, Bereich] = {}
    ungleich: dict[str, set[int]] = {}
    wahr: dict[str, bool] = {}
    anteile: list[Literal] = []
    typen = typ_und_oberbegriffe(typ)
    for lit in literale:
        feld = FELDER[lit.feld]
        if lit.feld == "typ":
            if (lit.wert in typen) != (lit.op == "eq"):
                return None  # der gewählte Typ widerspricht der Bedingung
            continue
        if feld.art == "wahrheitswert":
            if lit.feld in wahr and wahr[lit.feld] != (lit.wert if lit.op == "eq" else not lit.wert):
                return None
            wahr[lit.feld] = lit.wert if lit.op == "eq" else not lit.wert
        elif feld.art == "zahl":
            if lit.op == "ne":
                ungleich.setdefault(lit.feld, set()).add(lit.wert)
            else:
                zahlen.setdefault(lit.feld, Bereich()).schneide(lit.op, lit.wert)
        elif feld.art == "anteil":
            anteile.append(lit)
    einwohner = zahlen.get("einwohner", Bereich(1))
    einwohner.lo = max(einwohner.lo, 1)
    if einwohner.leer():
        return None
    e = min(max(STANDARD_EINWOHNER, einwohner.lo), einwohner.hi)
    ae = zahlen.setdefault("auslaendische_einwohner", Bereich())
    ae.hi = min(ae.hi, e)
    for lit in anteile:
        grenze = prozentwert(lit.wert) * e / 100
        unten, oben = _ganzzahlig(lit.op, grenze)
        if unten is not None:
            ae.lo = max(ae.lo, unten)
        if oben is not None:
            ae.hi = min(ae.hi, oben)
    werte = {"einwohner": e}
    for feld, bereich in zahlen.items():
        if feld == "einwohner":
            continue
        if bereich.leer():
            return None
        kandidat = bereich.lo
        while kandidat in ungleich.get(feld, set()) and kandidat <= bereich.hi:
            kandidat += 1
        if kandidat > bereich.hi:
            return None
        werte[feld] = kandidat
    merkmale = {n: werte[n] for n in MERKMALE if n in werte}
    merkmale.update(wahr)
    try:
        return Kommune(
            name=name, land=land, typ=typ, einwohner=werte["einwohner"],
            auslaendische_einwohner=werte.get("auslaendische_einwohner", 0), merkmale=merkmale,
        )
    except ValueError:
        return None


def _ganzzahlig(op: str, grenze: Fraction) -> tuple[int | None, int | None]:
    """Ganzzahlige Grenzen für ae aus ``ae OP grenze``."""
    boden = grenze.numerator // grenze.denominator
    decke = -((-grenze.numerator) // grenze.denominator)
    if op == "gt":
        return boden + 1, None
    if op == "gte":
        return decke, None
    if op == "lt":
        return None, decke - 1
    if op == "lte":
        return None, boden
    return None, None


def aufgeloeste_konjunktionen(regelbasis: Regelbasis, regel: Regel, index: int, tiefe: int = 0) -> list[list[Literal]]:
    """DNF einer Version, Regelbezüge durch die Bedingungen der bezogenen Regeln (gleicher Stichtag) ersetzt."""
    version = regel.versionen[index]
    ergebnis = []
    for konj in dnf(version.bedingung):
        teil: list[list[Literal]] = [[]]
        for lit in konj:
            if lit.bezug is None:
                teil = [k + [lit] for k in teil]
                continue
            ziel = regelbasis.regel(lit.bezug.regel)
            ersatz = _zeugen_literale(regelbasis, ziel, version.gueltig_ab, tiefe + 1)
            if lit.bezug.zustand == "entfaellt":
                ausnahmen = [regelbasis.regel(lit.bezug.durch)] if lit.bezug.durch else regelbasis.ausnahmen_zu(ziel.id)
                zusatz = [k for a in ausnahmen for k in _zeugen_literale(regelbasis, a, version.gueltig_ab, tiefe + 1)]
                ersatz = [a + b for a in ersatz for b in zusatz]
            teil = [k + e for k in teil for e in ersatz]
        ergebnis.extend(teil)
    return ergebnis


def _zeugen_literale(regelbasis: Regelbasis, regel: Regel, tag: dt.date, tiefe: int) -> list[list[Literal]]:
    if tiefe > 10:
        return []
    treffer = regel.version_am(tag)
    if treffer is None:
        return []
    return aufgeloeste_konjunktionen(regelbasis, regel, treffer[0], tiefe)


def zeuge(regelbasis: Regelbasis, regel: Regel, index: int, typ: str | None = None) -> Kommune | None:
    """Ein Profil, für das der Tatbestand der Version erfüllt ist (bei Ausnahmen: samt Zielregel). Ohne ``typ``
    wird jeder Kommunaltyp der Regel versucht – eine Typbedingung in der Fassung kann den ersten ausschließen."""
    if typ is None:
        for kandidat in konkrete_typen(regel.typen):
            if kandidat in typen_im_geltungsbereich(regel.land):
                profil = zeuge(regelbasis, regel, index, kandidat)
                if profil is not None:
                    return profil
        return None
    konjunktionen = aufgeloeste_konjunktionen(regelbasis, regel, index)
    if regel.rolle == Rolle.ausnahme:
        ziel = regelbasis.regel(regel.ausnahme_zu[0])
        ziel_k = _zeugen_literale(regelbasis, ziel, regel.versionen[index].gueltig_ab, 1)
        konjunktionen = [a + b for a in konjunktionen for b in ziel_k]
    for konj in konjunktionen:
        land = regel.land if regel.land != BUND else next(c for c, l in LAENDER.items() if typ in l.typen)
        profil = loese(konj, land, typ)
        if profil is not None:
            return profil
    return None
