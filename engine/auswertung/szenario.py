"""Wirkung eines Reformszenarios: welche Kommunen neu verpflichtet (oder förderfähig) würden, wie viele Menschen
das betrifft, und was es nach dem Kostenmodell des Szenarios kostet – die Grundlage einer Konnexitätsschätzung.

Verglichen wird an einem Stichtag die geltende Regelbasis mit der überlagerten (``sammle_regelbasis(…, szenario)``),
für jede Kommune mit denselben Zahlen. „Neu“ heißt: das Szenario verpflichtet sie, und keine geltende Regel desselben
Gegenstands tut es schon (Pflicht: muss oder soll; Förderung: irgendein Programm). Unbestimmte Ergebnisse (Zahl an der
Schwelle, unbekannte Tatsache) zählen nur in die obere Grenze und werden einzeln genannt.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from engine.auswertung.massen import bewerte
from engine.begriffe import LAENDER, Art, Status, Verbindlichkeit
from engine.kommunen.profil import Kommune
from engine.regeln.basis import Regelbasis
from engine.regeln.modell import Regel

# Tabelle 4 der Studie: „Gemeinden und Kleinstädte (< 20.000)“ und „Mittel- und Großstädte (> 20.000)“; genau 20.000
# nennt die Tabelle in keiner Spalte – wir zählen sie (wie die Studie im Text: „ab 20.000“) zur oberen Klasse.
GROESSENKLASSEN = ((0, "Gemeinden und Kleinstädte (unter 20.000 Einwohner)"),
                   (20_000, "Mittel- und Großstädte (20.000 Einwohner und mehr)"))
KREISEBENE = {"landkreis", "kreisfreie_stadt", "stadtstaat", "region_hannover", "regionalverband_saarbruecken"}


def groessenklasse(einwohner: int) -> str:
    name = GROESSENKLASSEN[0][1]
    for grenze, text in GROESSENKLASSEN:
        if einwohner >= grenze:
            name = text
    return name


@dataclass
class Betroffen:
    """Eine Kommune, die eine Szenario-Regel erfasst."""

    kommune: Kommune
    regel: Regel
    status: Status
    neu: bool  # keine geltende Regel desselben Gegenstands erfasst sie schon
    gefoerdert: bool = False  # ein geltendes Landesprogramm desselben Gegenstands fördert sie schon (Konnexität: anrechenbar)
    stellen_von: Fraction = Fraction(0)
    stellen_bis: Fraction = Fraction(0)
    kosten_von: Fraction = Fraction(0)
    kosten_bis: Fraction = Fraction(0)

    @property
    def ebene(self) -> str:
        return "Kreise und kreisfreie Städte" if self.kommune.typ in KREISEBENE else "kreisangehörige Gemeinden"


@dataclass
class Landeswirkung:
    land: str
    kommunen: int = 0
    gilt_insgesamt: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # Regel-id → gilt (auch schon erfasst)
    neu: list[Betroffen] = field(default_factory=list)  # Status gilt und neu
    offen: list[Betroffen] = field(default_factory=list)  # Status unbestimmt und neu

    def summe(self, attribut: str, mit_offen: bool = False) -> Fraction:
        liste = self.neu + (self.offen if mit_offen else [])
        return sum((getattr(b, attribut) for b in liste), Fraction(0))

    def _ohne_doppelte(self) -> list[Betroffen]:
        """Ein Kreis umfasst seine Gemeinden: sind Kreis und Gemeinde erfasst (Szenario b), zählt das Gebiet einmal."""
        kreise = {b.kommune.ags for b in self.neu if b.kommune.ags and len(b.kommune.ags) == 5}
        einmal: dict[str, Betroffen] = {}
        for b in self.neu:
            ags = b.kommune.ags or b.kommune.name
            if len(ags) == 8 and ags[:5] in kreise:
                continue
            einmal.setdefault(ags, b)
        return list(einmal.values())

    @property
    def einwohner(self) -> int:
        """Einwohner im erfassten Gebiet (ohne Doppelzählung von Kreis und Gemeinde)."""
        return sum(b.kommune.einwohner for b in self._ohne_doppelte())

    @property
    def auslaendische_einwohner(self) -> int:
        return sum(b.kommune.auslaendische_einwohner for b in self._ohne_doppelte())


def szenario_regeln(regelbasis: Regelbasis) -> list[Regel]:
    return sorted((g.regel for g in regelbasis.regeln.values() if g.regel.entwurf and g.regel.art is not None),
                  key=lambda r: r.id)


def beginn(szenario: Regelbasis, basis: Regelbasis) -> dt.date:
    """Frühester Beginn einer Szenario-Fassung: der Tag, an dem das Szenario wirken würde. Ersetzt eine Szenario-Regel
    eine geltende, stehen deren frühere Fassungen davor (``sammle_regelbasis``) – sie zählen nicht."""
    tage = []
    for r in szenario_regeln(szenario):
        geltend = {v.zitat for v in basis.regel(r.id).versionen} if r.id in basis.regeln else set()
        tage += [v.gueltig_ab for v in r.versionen if v.zitat not in geltend][:1]
    return min(tage) if tage else dt.date.today()


def _schon_erfasst(regel: Regel, ergebnisse: list[tuple[str, Status, int]], basis: Regelbasis) -> bool:
    gegenstand = (regel.szenario.neu_verpflichtet_gegenueber if regel.szenario else None) or regel.gegenstand
    for rid, status, _ in ergebnisse:
        if status != Status.gilt:
            continue
        r = basis.regel(rid)
        if r.gegenstand != gegenstand or r.art != regel.art:
            continue
        if r.art == Art.pflicht and r.verbindlichkeit not in (Verbindlichkeit.muss, Verbindlichkeit.soll):
            continue
        return True
    return False


def _kosten(b: Betroffen) -> None:
    modell = b.regel.szenario.kostenmodell if b.regel.szenario else None
    if modell is None:
        return
    von, bis = b.kommune.spanne(modell.groesse)
    b.stellen_von, b.stellen_bis = modell.stellen(von), modell.stellen(bis)
    b.kosten_von = b.stellen_von * modell.kosten_je_stelle_von
    b.kosten_bis = b.stellen_bis * modell.kosten_je_stelle_bis


def wirkung(datensaetze, stichtag: dt.date, basis: Regelbasis, szenario: Regelbasis, auswerter_basis,
            auswerter_szenario) -> dict[str, Landeswirkung]:
    """Je Land die Wirkung aller Szenario-Regeln (``szenario`` ist die überlagerte Regelbasis)."""
    regeln = szenario_regeln(szenario)
    ids = {r.id for r in regeln}
    betroffen = {r.land for r in regeln}
    alle_laender = "DE" in betroffen  # eine Bundesregel des Szenarios gilt in jedem Land
    laender: dict[str, Landeswirkung] = {}
    speicher_basis: dict = {}
    speicher_szenario: dict = {}
    for d in datensaetze:
        if not alle_laender and d.land not in betroffen:
            continue  # ein Land ohne Szenario-Regel: nichts ändert sich
        kommune = d.profil(stichtag)
        land = laender.setdefault(kommune.land, Landeswirkung(kommune.land))
        land.kommunen += 1
        zeile = bewerte(kommune, stichtag, szenario, auswerter_szenario, speicher_szenario)
        treffer = [(rid, status) for rid, status, _ in zeile.ergebnisse if rid in ids]
        if not treffer:
            continue
        geltend = bewerte(kommune, stichtag, basis, auswerter_basis, speicher_basis).ergebnisse
        for rid, status in treffer:
            regel = szenario.regel(rid)
            if status == Status.gilt:
                land.gilt_insgesamt[rid] += 1
            if status == Status.entfaellt or _schon_erfasst(regel, geltend, basis):
                continue
            b = Betroffen(kommune, regel, status, neu=True,
                          gefoerdert=regel.art == Art.pflicht and any(
                              s == Status.gilt and basis.regel(r).art == Art.foerderung
                              and basis.regel(r).gegenstand == regel.gegenstand for r, s, _ in geltend))
            _kosten(b)
            (land.neu if status == Status.gilt else land.offen).append(b)
    reihenfolge = {code: i for i, code in enumerate(LAENDER)}  # amtliche Reihenfolge (Länderschlüssel)
    return dict(sorted(laender.items(), key=lambda t: reihenfolge[t[0]]))


__all__ = ["Betroffen", "Landeswirkung", "wirkung", "szenario_regeln", "beginn", "groessenklasse", "GROESSENKLASSEN"]
