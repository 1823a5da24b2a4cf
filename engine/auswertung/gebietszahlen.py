"""Ergebnisse der Massenauswertung je Karteneinheit (Kreis): die Zahlen, nach denen Karten färben.

Zwei Sichten: je Regel, wie viele Kommunen eines Kreises darunter fallen (Länderseite der Webanwendung), und je
Szenario, wie viele Gemeinden eines Kreises neu erfasst würden – oder der Kreis selbst – und was es dort kostet.
Der Nenner ist immer ausgewiesen: nur Kommunen eines Typs, für den die Regel gilt, zählen mit.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from engine.auswertung.szenario import KREISEBENE, Landeswirkung
from engine.begriffe import Status, konkrete_typen
from engine.kommunen.gebiete import einheit
from engine.regeln.modell import Regel


@dataclass
class Gebietszaehlung:
    """Je Karteneinheit: Kommunen nach Typ und je Regel die Status – gefüllt während der Auswertung eines Landes."""

    stichtag: dt.date
    typen: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))  # Einheit → Typ → Anzahl
    status: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))  # Einheit → (Regel, Status)

    def erfasse(self, ags: str, typ: str, ergebnisse) -> None:
        """Eine Kommune (AGS, Typ am Stichtag) mit ihren Ergebnissen: (Regel-id, Status, …) wie aus ``bewerte``
        oder (Regel-id, Statuswort) wie im Kurzergebnis von ``batch``."""
        schluessel = einheit(ags, self.stichtag)
        self.typen[schluessel][typ] += 1
        for rid, status, *_ in ergebnisse:
            self.status[schluessel][(rid, status.value if isinstance(status, Status) else status)] += 1

    def zahlen(self, schluessel: str, regel: Regel) -> tuple[int, int, int]:
        """(gilt, offen, Kommunen eines Typs der Regel) in einer Einheit."""
        typen = set(konkrete_typen(regel.typen))
        betroffen = sum(n for t, n in self.typen.get(schluessel, {}).items() if t in typen)
        s = self.status.get(schluessel, Counter())
        return s[(regel.id, "gilt")], s[(regel.id, "unbestimmt")], betroffen


@dataclass
class Szenariogebiet:
    """Ein Kreis im Szenario: seine Gemeinden, wie viele davon neu erfasst oder offen, der Kreis selbst, Kosten."""

    land: str
    gemeinden: int = 0
    gemeinden_neu: int = 0
    gemeinden_offen: int = 0
    kreis_neu: bool = False
    kreis_offen: bool = False
    kosten_von: Fraction = Fraction(0)
    kosten_bis: Fraction = Fraction(0)  # mit offenen Fällen


def nur_kreisebene(regeln: list[Regel]) -> bool:
    """Erfasst das Szenario nur Kreise und kreisfreie Städte? Dann zeigt die Karte den Kreis selbst."""
    return all(set(konkrete_typen(r.typen)) <= KREISEBENE for r in regeln)


def szenario_gebiete(wirkung: dict[str, Landeswirkung], datensaetze, stichtag: dt.date) -> dict[str, Szenariogebiet]:
    """Je Karteneinheit der betroffenen Länder: Gemeinden (kreisfreie Städte zählen als Gemeinde ihres eigenen
    Kreises), davon neu erfasst und offen, ob die Kreisebene erfasst ist, und die Kosten von–bis."""
    gebiete: dict[str, Szenariogebiet] = {}
    for d in datensaetze:
        if d.land not in wirkung:
            continue
        g = gebiete.setdefault(einheit(d.ags, stichtag), Szenariogebiet(d.land))
        g.gemeinden += d.art == "gemeinde"
    for w in wirkung.values():
        for b, offen in [(b, False) for b in w.neu] + [(b, True) for b in w.offen]:
            k = b.kommune
            g = gebiete.setdefault(einheit(k.ags or "", stichtag), Szenariogebiet(k.land))
            if k.typ in KREISEBENE:
                g.kreis_offen |= offen
                g.kreis_neu |= not offen
            if k.ags and len(k.ags) == 8:
                if offen:
                    g.gemeinden_offen += 1
                else:
                    g.gemeinden_neu += 1
            g.kosten_bis += b.kosten_bis
            if not offen:
                g.kosten_von += b.kosten_von
    return gebiete


__all__ = ["Gebietszaehlung", "Szenariogebiet", "szenario_gebiete", "nur_kreisebene"]
