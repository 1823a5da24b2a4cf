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


# C0/C1-Steuerzeichen; Richtungszeichen (LRM, RLM, ALM U+061C, Einbettungen, Isolate); Zeilen- und Absatztrenner
# U+2028/U+2029 (manche Terminals brechen dort um); veraltete Formatzeichen U+206A–U+206F; Anmerkungszeichen U+FFF9–FFFB
_UNSICHTBAR = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u206f"
                         "\ufff9-\ufffb]")


def sichtbar(text: str) -> str:
    """Steuerzeichen (ANSI-Escape, Bell …) und Bidi-Steuerzeichen sichtbar machen: ein Profilname wie
    „X\\x1b[2J“ soll das Terminal nicht löschen, „\\u202e“ die Leserichtung nicht umdrehen. Zeilenumbruch und
    Tabulator bleiben. Die Ersetzung ist zugleich ein gültiges JSON-Escape (``json_text`` nutzt sie verlustfrei).
    Jedes dieser Zeichen ist nicht druckbar: ein druckbarer Text bleibt, wie er ist (``isprintable`` prüft ihn mehr als
    doppelt so schnell wie der Ausdruck – ``batch`` prüft 360 MB)."""
    if text.isprintable():
        return text
    return _UNSICHTBAR.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
