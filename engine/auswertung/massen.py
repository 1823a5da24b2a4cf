"""Massenauswertung (``batch``): alle oder ausgewählte Kommunen Deutschlands über durable-rules.

Je Kommune wird an allen Stützpunkten ihrer Spanne ausgewertet (siehe ``bereiche.py``); Ergebnis je Regel:
``gilt``, ``entfaellt`` oder ``unbestimmt``. Gleichwertige Fakten (gleiche Schwellenintervalle, siehe
``KompilierterRegelsatz.kanonisch``) wertet durable-rules nur einmal aus.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from engine.auswertung import varianten
from engine.auswertung.beurteilung import beurteile
from engine.begriffe import Art, Status
from engine.auswertung.durable import DurableAuswerter
from engine.kommunen.profil import Kommune
from engine.regeln.basis import Regelbasis


@dataclass
class Zeile:
    kommune: Kommune
    ergebnisse: list[tuple[str, Status, int]]  # (Regel-id, Status, Versionsindex)
    offen: dict[str, list[str]] = field(default_factory=dict)  # Regel-id → Merkmale/Zahlen, von denen sie abhängt
    vorbehalte: dict[str, list[str]] = field(default_factory=dict)  # Regel-id → Ausnahmen unter Vorbehalt


def bewerte(kommune: Kommune, stichtag: dt.date, regelbasis: Regelbasis, auswerter, zwischenspeicher: dict | None) -> Zeile:
    """Wie ``erstelle_bericht``, aber ohne Erklärungstexte: Status je Regel aus denselben Stützpunkten."""
    plan = varianten.plane(kommune, regelbasis)
    inferenzen = auswerter.inferiere_plan(plan, stichtag, zwischenspeicher)
    zeile = Zeile(kommune, [])
    for rid in sorted({rid for inf in inferenzen for rid in inf.tatbestaende}):
        b = beurteile(plan, inferenzen, regelbasis, rid)
        if b.status is None:
            continue
        zeile.ergebnisse.append((rid, b.status, inferenzen[b.vertreter].tatbestaende[rid]))
        if b.offen:
            zeile.offen[rid] = [f.merkmal for f in b.offen]
        if b.vorbehalte:
            zeile.vorbehalte[rid] = [v.merkmal for v in b.vorbehalte]
    return zeile


@dataclass
class Zusammenfassung:
    """Je Land: wie viele Kommunen unter jede Pflicht fallen (muss/soll), wie viele unbestimmt sind, wie viele förderfähig."""

    kommunen: Counter = field(default_factory=Counter)  # Land → Anzahl
    zaehler: Counter = field(default_factory=Counter)  # (Land, Regel-id, Status) → Anzahl

    def erfasse(self, zeile: Zeile) -> None:
        self.kommunen[zeile.kommune.land] += 1
        for rid, status, _ in zeile.ergebnisse:
            self.zaehler[(zeile.kommune.land, rid, status.value)] += 1

    def tabelle(self, regelbasis: Regelbasis) -> list[str]:
        zeilen = []
        for land in sorted(self.kommunen):
            zeilen.append(f"{land}: {self.kommunen[land]} Kommunen")
            regeln = sorted({rid for (l, rid, _) in self.zaehler if l == land})
            for rid in regeln:
                regel = regelbasis.regel(rid)
                if regel.art == Art.hinweis:
                    continue
                gilt = self.zaehler[(land, rid, "gilt")]
                unbestimmt = self.zaehler[(land, rid, "unbestimmt")]
                entfaellt = self.zaehler[(land, rid, "entfaellt")]
                art = "förderfähig" if regel.art == Art.foerderung else regel.verbindlichkeit.value
                extra = (f", unbestimmt {unbestimmt}" if unbestimmt else "") + (f", entfällt {entfaellt}" if entfaellt else "")
                zeilen.append(f"  {art:<11} {gilt:>6}{extra}  {regel.titel} ({rid})")
        return zeilen


__all__ = ["bewerte", "Zusammenfassung", "Zeile", "DurableAuswerter"]
