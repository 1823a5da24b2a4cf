"""Zahlen und Anteile in deutscher Schreibweise (Tausenderpunkt, Dezimalkomma); exakte Brüche werden nie still gerundet."""

from __future__ import annotations

from fractions import Fraction


def zahl(n: int) -> str:
    """Deutsche Schreibweise mit Tausenderpunkt: 1234 → „1.234“."""
    return f"{n:,}".replace(",", ".")


def prozent(p: Fraction, stellen: int = 2) -> str:
    """Exakten Bruch als Prozentangabe darstellen; ganzzahlige Werte ohne Nachkommastellen."""
    if p.denominator == 1:
        return f"{p.numerator} %"
    gerundet = round(p, stellen)
    text = f"{float(gerundet):.{stellen}f}".replace(".", ",")
    praefix = "" if gerundet == p else "≈ "
    return f"{praefix}{text} %"
