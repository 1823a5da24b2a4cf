"""Passt der Vergleichsoperator zum Wortlaut der Norm?

„mehr als 1.000“ ist ``gt``, „mindestens zehn vom Hundert“ ist ``gte``. Gesucht wird die Schwelle im zitierten
Wortlaut (als Ziffern in allen üblichen Schreibweisen oder als Zahlwort) und die Formulierung unmittelbar davor –
oder eine nachgestellte („7.500 und mehr Einwohner“).
"""

from __future__ import annotations

import re
from fractions import Fraction

OPERATOR_FORMULIERUNGEN: dict[str, tuple[str, ...]] = {
    "gt": ("mehr als", "über", "mehr … als", "größer als", "übersteigt", "überschreitet"),
    "gte": ("mindestens", "ab", "wenigstens", "nicht weniger als"),
    "lt": ("weniger als", "unter", "unterhalb von", "kleiner als"),
    "lte": ("höchstens", "bis zu", "nicht mehr als", "maximal"),
}

# Wendungen HINTER der Zahl: „7500 und mehr Einwohner“ = mindestens, „1.000 und weniger“ = höchstens
NACHGESTELLT: dict[str, tuple[str, ...]] = {
    "gte": ("und mehr", "oder mehr", "und darüber", "oder darüber"),
    "lte": ("und weniger", "oder weniger", "und darunter", "oder darunter"),
}

ZAHLWOERTER = {
    1: "ein", 2: "zwei", 3: "drei", 4: "vier", 5: "fünf", 6: "sechs", 7: "sieben", 8: "acht", 9: "neun", 10: "zehn",
    11: "elf", 12: "zwölf", 15: "fünfzehn", 20: "zwanzig", 25: "fünfundzwanzig", 50: "fünfzig", 100: "hundert",
    200: "zweihundert", 1000: "tausend",
}


def schreibweisen(wert) -> list[str]:
    """„1000“ → 1.000, 1 000 (auch geschütztes Leerzeichen), 1000, tausend."""
    if isinstance(wert, Fraction):
        if wert.denominator != 1:
            text = f"{float(wert):g}"
            return [text.replace(".", ","), text]
        wert = wert.numerator
    if not isinstance(wert, int):
        return [str(wert)]
    formen = {str(wert), f"{wert:,}".replace(",", "."), f"{wert:,}".replace(",", " "), f"{wert:,}".replace(",", "\u00a0"),
              f"{wert:,}".replace(",", "\u202f")}
    if wert in ZAHLWOERTER:
        formen.add(ZAHLWOERTER[wert])
    return sorted(formen, key=len, reverse=True)


def operatoren_im_wortlaut(wortlaut: str, wert) -> tuple[bool, set[str]]:
    """(Schwelle gefunden?, Operatoren, deren Formulierung direkt vor der Schwelle steht)."""
    text = " ".join(wortlaut.split())
    gefunden = False
    ops: set[str] = set()
    for form in schreibweisen(wert):
        for treffer in re.finditer(r"(?<![\d.])" + re.escape(form) + r"(?![\d]|\.\d)", text, flags=re.IGNORECASE):
            gefunden = True
            davor = text[max(0, treffer.start() - 45): treffer.start()].lower()
            # nur die letzte Wendung vor der Zahl zählt („mehr als 1.000“, nicht ein „ab“ weiter vorn)
            bester: tuple[int, str] | None = None
            for op, formulierungen in OPERATOR_FORMULIERUNGEN.items():
                for f in formulierungen:
                    if "…" in f:
                        continue
                    for m in re.finditer(r"\b" + re.escape(f) + r"\b", davor):
                        if bester is None or m.end() > bester[0] or (m.end() == bester[0] and len(f) > len(bester[1])):
                            bester = (m.end(), f)
                            bester_op = op
            danach = text[treffer.end(): treffer.end() + 30].lower()
            nach = next((op for op, fs in NACHGESTELLT.items()
                         for f in fs if re.match(r"\s*(\w+\s+)?" + re.escape(f) + r"\b", danach)), None)
            if nach is not None:
                ops.add(nach)
            elif bester is not None:
                ops.add(bester_op)
    return gefunden, ops
