"""Zeilenumbruch für Text im Terminal, der Zitate nicht zerreißt.

Ein Umbruch nach „§“, „Art.“, „Abs.“, „Nr.“ oder „±“ ließe die Zahl allein auf der nächsten Zeile stehen
(„Fehlerspanne ±“ / „206“); solche Paare hält ein geschütztes Leerzeichen während des Umbruchs zusammen, danach wird
es wieder ein gewöhnliches.
"""

from __future__ import annotations

import re
import textwrap

_GESCHUETZT = "\u2007"  # Ziffernleerzeichen: textwrap trennt nur an ASCII-Leerraum, und im Bericht steht es nie
_PAARE = re.compile(r"(?<![^\s(„])(§§?|Art\.|Abs\.|Nr\.|Satz|S\.|Buchst\.|±|≈|→|[0-9][0-9.,]*) (?=[0-9„(€%-]|[a-z]\b|[IVX]+\b)"
                    r"|(?<!\S)(--[a-z-]+|©) (?=\S)")


_JAHR = re.compile(r"(?<=[A-Za-zÄÖÜäöüß]) (?=(?:19|20)\d\d\b)")  # „Zensus 2022“, „Destatis 2025“


def _schuetze(text: str) -> str:
    text = _PAARE.sub(lambda m: (m.group(1) or m.group(2)) + _GESCHUETZT, text.replace(_GESCHUETZT, " "))
    return _JAHR.sub(_GESCHUETZT, text)


def umbrechen(text: str, breite: int, einzug: str = "", folge: str | None = None) -> list[str]:
    """Wie ``textwrap.wrap`` (ohne Trennung an Bindestrichen), aber „§ 5“, „± 206“, „1.000 €“ bleiben beisammen."""
    zeilen = textwrap.wrap(_schuetze(text), breite, initial_indent=einzug,
                           subsequent_indent=einzug if folge is None else folge, break_on_hyphens=False)
    return [z.replace(_GESCHUETZT, " ") for z in zeilen] or [einzug.rstrip()]


__all__ = ["umbrechen"]
