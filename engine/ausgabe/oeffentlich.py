"""Was aus den Regeldateien in einen Bericht für Menschen darf – ohne interne Arbeitsvermerke.

Die Regeldateien tragen neben Quellen auch Vermerke der Recherche („Recherche foerderprogramme-und-pflichtaufgaben.md,
Teil B4 (Konfidenz H)“, „Neu nach Prüfbericht 2026-12“, „laut Vorrecherche“). Sie gehören zur Pflege der Regeln
(``regeln zeigen``, JSON-Vertrag), nicht in eine Ratsvorlage: ein Bericht nennt nur, was eine Leserin nachprüfen kann.
"""

from __future__ import annotations

import re

_INTERN = re.compile(r"\.md\b|Konfidenz|Prüfbericht|Recherche-Notiz|Vorrecherche|Auftrag zu Issue|\bIssue \d"
                     r"|(?<![/\w.])[a-z]+_[a-z_]+(?![\w/])", re.I)  # … und Feldnamen des Regelformats
_KLAMMER = re.compile(r"\s*\([^()]*\)")
_OPTION = re.compile(r"\s*\((?:mit )?--[a-z-]+[^()]*\)|\s*[–-]\s*mit --[a-z-]+ prüfen")  # Optionen der CLI


def _ohne_interne_klammern(text: str) -> str:
    return _KLAMMER.sub(lambda m: "" if _INTERN.search(m.group()) else m.group(), text)


def oeffentlich(text: str | None) -> str:
    """Der Text ohne Sätze, Teilsätze (durch „;“ oder „ – “ getrennt) und Klammern mit internem Vermerk; leer, wenn
    nichts Nachprüfbares bleibt."""
    if not text:
        return ""
    text = _OPTION.sub("", _ohne_interne_klammern(text))
    behalten = []
    for satz in re.split(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ„])", text):
        stuecke = re.split(r"(;\s+| – )", satz)  # Teilsätze und ihre Trenner im Wechsel
        teile = [(stuecke[i - 1] if i else "", stuecke[i]) for i in range(0, len(stuecke), 2)]
        gut = [(trenner, t) for trenner, t in teile if t.strip() and not _INTERN.search(t)]
        if gut:
            neu = "".join((trenner if j else "") + t for j, (trenner, t) in enumerate(gut)).strip()
            behalten.append(neu)
    return " ".join(behalten).strip(" ;–")


__all__ = ["oeffentlich"]
