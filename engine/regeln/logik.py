"""Logik der Bedingungen: disjunktive Normalform über Literale (Vergleiche und Regelbezüge).

Grundlage der Schwellensuche für Spannen (``auswertung.bereiche``), der Erklärung unbestimmter Ergebnisse und der
statischen Prüfungen (``werkzeuge``).
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.felder import FELDER
from engine.regeln.modell import GEGENTEIL, Alle, Bedingung, Nicht, RegelBezug, Vergleich


@dataclass(frozen=True)
class Literal:
    """Ein Blatt in Normalform: Vergleich mit (ggf. durch Negation umgekehrtem) Operator oder Regelbezug."""

    feld: str | None
    op: str | None
    wert: object
    bezug: RegelBezug | None = None


def dnf(b: Bedingung | None, negiert: bool = False) -> list[list[Literal]]:
    """Bedingung als Liste von Konjunktionen (Oder über Und). ``[[]]`` = immer wahr, ``[]`` = nie wahr."""
    if b is None:
        return [] if negiert else [[]]
    if isinstance(b, Nicht):
        return dnf(b.nicht, not negiert)
    if isinstance(b, Vergleich):
        if b.op == "in":
            if negiert:
                return [[Literal(b.feld, "ne", w) for w in b.wert]]
            return [[Literal(b.feld, "eq", w)] for w in b.wert]
        op = GEGENTEIL[b.op] if negiert else b.op
        if FELDER[b.feld].art == "wahrheitswert" and op == "ne":
            return [[Literal(b.feld, "eq", not b.wert)]]
        return [[Literal(b.feld, op, b.wert)]]
    if isinstance(b, RegelBezug):
        if negiert:
            raise ValueError("Regelbezüge werden nicht negiert")
        return [[Literal(None, None, None, bezug=b)]]
    teile = b.alle if isinstance(b, Alle) else b.eine
    und = isinstance(b, Alle) != negiert
    if und:
        ergebnis: list[list[Literal]] = [[]]
        for teil in teile:
            ergebnis = [links + rechts for links in ergebnis for rechts in dnf(teil, negiert)]
        return ergebnis
    return [k for teil in teile for k in dnf(teil, negiert)]


def dnf_groesse(b: Bedingung | None, negiert: bool = False) -> int:
    """Anzahl der Konjunktionen von ``dnf(b)``, ohne sie auszurechnen – so lässt sich eine Bedingung ablehnen, die
    sich zu Milliarden Fällen ausmultiplizieren würde (z. B. 30 verschachtelte „eine“ mit je zwei Teilen)."""
    if b is None:
        return 0 if negiert else 1
    if isinstance(b, Nicht):
        return dnf_groesse(b.nicht, not negiert)
    if isinstance(b, Vergleich):
        return len(b.wert) if b.op == "in" and not negiert and isinstance(b.wert, list) else 1
    if isinstance(b, RegelBezug):
        return 1
    teile = b.alle if isinstance(b, Alle) else b.eine
    if isinstance(b, Alle) != negiert:
        ergebnis = 1
        for teil in teile:
            ergebnis *= dnf_groesse(teil, negiert)
        return ergebnis
    return sum(dnf_groesse(teil, negiert) for teil in teile)
