"""Massenauswertung (``batch``): alle oder ausgewählte Kommunen Deutschlands über durable-rules.

Je Kommune wird an allen Stützpunkten ihrer Spanne ausgewertet (siehe ``bereiche.py``); Ergebnis je Regel:
``gilt``, ``entfaellt`` oder ``unbestimmt``. Gleichwertige Fakten (gleiche Schwellenintervalle, siehe
``KompilierterRegelsatz.kanonisch``) wertet durable-rules nur einmal aus.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from engine.auswertung import bereiche
from engine.begriffe import Art, Status
from engine.auswertung.durable import DurableAuswerter
from engine.kommunen.profil import Kommune
from engine.regeln.basis import Regelbasis


@dataclass
class Zeile:
    kommune: Kommune
    ergebnisse: list[tuple[str, Status, int]]  # (Regel-id, Status, Versionsindex)


def bewerte(kommune: Kommune, stichtag: dt.date, regelbasis: Regelbasis, auswerter, zwischenspeicher: dict | None) -> Zeile:
    punkte = bereiche.stuetzpunkte(kommune, regelbasis) if kommune.unsicherheit is not None else [None]
    inferenzen = [auswerter.inferiere(kommune, stichtag, zwischenspeicher, punkt) for punkt in punkte]
    # gleichwertige Stützpunkte liefern aus dem Zwischenspeicher dasselbe Objekt: nur einmal betrachten
    inferenzen = list({id(inf): inf for inf in inferenzen}.values())
    ids = sorted({rid for inf in inferenzen for rid in inf.tatbestaende})
    ergebnisse = []
    for rid in ids:
        zustaende = {("nicht" if rid not in inf.tatbestaende else "ent" if inf.verdraengt.get(rid) else "gilt")
                     for inf in inferenzen}
        index = next(inf.tatbestaende[rid] for inf in inferenzen if rid in inf.tatbestaende)
        if len(zustaende) > 1:
            status = Status.unbestimmt
        else:
            status = Status.entfaellt if zustaende == {"ent"} else Status.gilt
        ergebnisse.append((rid, status, index))
    return Zeile(kommune, ergebnisse)


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
