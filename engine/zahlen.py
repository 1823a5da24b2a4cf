"""Zahlen und Anteile in deutscher Schreibweise (Tausenderpunkt, Dezimalkomma); exakte Brüche werden nie still gerundet."""

from __future__ import annotations

import re
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


_UNSICHTBAR = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def sichtbar(text: str) -> str:
    """Steuerzeichen (ANSI-Escape, Bell …) und Bidi-Steuerzeichen sichtbar machen: ein Profilname wie
    „X\\x1b[2J“ soll das Terminal nicht löschen, „\\u202e“ die Leserichtung nicht umdrehen. Zeilenumbruch und
    Tabulator bleiben."""
    return _UNSICHTBAR.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
