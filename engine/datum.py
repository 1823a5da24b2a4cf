"""Datumsangaben, wie Menschen sie schreiben: „2023-06-01“ (ISO), „01.06.2023“ und „1.6.2023“ (deutsch), „heute“.

Der Stichtag muss in einem vernünftigen Rahmen liegen (1900–2199): Ein Tippfehler wie „01.06.20233“ soll eine klare
Meldung geben, kein stilles Rechnen mit dem Jahr 20233 und kein Absturz an der Grenze des Kalenders (9999-12-31).
"""

from __future__ import annotations

import datetime as dt
import re

FRUEHESTES = dt.date(1900, 1, 1)
SPAETESTES = dt.date(2199, 12, 31)

_DEUTSCH = re.compile(r"(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def lies_datum(text: str) -> dt.date:
    """Ein Datum oder ``ValueError`` mit deutscher Meldung, die sagt, was erwartet wird."""
    roh = text.strip()
    if roh.casefold() == "heute":
        return dt.date.today()
    treffer = _ISO.fullmatch(roh)
    if treffer:
        jahr, monat, tag = (int(x) for x in treffer.groups())
    else:
        treffer = _DEUTSCH.fullmatch(roh)
        if not treffer:
            if re.fullmatch(r"\d{1,2}\.\s*\d{1,2}\.\s*\d{2}", roh):
                raise ValueError(f"„{text}“: das Jahr bitte vierstellig angeben, z. B. 01.06.2023")
            raise ValueError(f"„{text}“ ist kein Datum; erwartet TT.MM.JJJJ oder JJJJ-MM-TT, z. B. 01.06.2023")
        tag, monat, jahr = (int(x) for x in treffer.groups())
    try:
        datum = dt.date(jahr, monat, tag)
    except ValueError:
        raise ValueError(f"„{text}“: diesen Tag gibt es nicht") from None
    if not FRUEHESTES <= datum <= SPAETESTES:
        raise ValueError(f"„{text}“ liegt außerhalb des unterstützten Zeitraums "
                         f"({FRUEHESTES:%d.%m.%Y} bis {SPAETESTES:%d.%m.%Y})")
    return datum


__all__ = ["lies_datum", "FRUEHESTES", "SPAETESTES"]
