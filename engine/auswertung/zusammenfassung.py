"""Die Zusammenfassung der Massenauswertung: je Land, wie viele Kommunen unter jede Pflicht fallen – gezählt je
Kommune (``erfasse``) oder je Arbeitspaket (``nimm``), gedruckt von ``batch``."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from engine.begriffe import Art
from engine.regeln.basis import Regelbasis

Kurz = list[tuple[str, str]]  # (Regel-id, Status) je Ergebnis – für die Zusammenfassung


@dataclass
class Zusammenfassung:
    """Je Land: wie viele Kommunen unter jede Pflicht fallen (muss/soll), wie viele unbestimmt sind, wie viele förderfähig."""

    kommunen: Counter = field(default_factory=Counter)  # Land → Anzahl
    zaehler: Counter = field(default_factory=Counter)  # (Land, Regel-id, Status) → Anzahl

    def erfasse(self, land: str, kurz: Kurz) -> None:
        self.kommunen[land] += 1
        self.zaehler.update((land, rid, status) for rid, status in kurz)  # zählt in C, Reihenfolge wie die Schleife

    def nimm(self, andere: "Zusammenfassung") -> None:
        """Die Zählung eines Pakets dazunehmen."""
        self.kommunen.update(andere.kommunen)
        self.zaehler.update(andere.zaehler)

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


__all__ = ["Zusammenfassung", "Kurz"]
