"""JSONL der Massenauswertung: eine Zeile je Kommune, genau das Dokument von ``check --format json``
(docs/json-vertrag.md) – mit den festen Teilen (Zitate, Titel, Rechtsfolgen, Hinweise) je Regelfassung einmal kodiert."""

from __future__ import annotations

import datetime as dt
import json

from engine.ausgabe.json_vertrag import bericht_json, json_text, zitat_json
from engine.auswertung.bericht import erstelle_bericht
from engine.kommunen.profil import Kommune
from engine.regeln.basis import Regelbasis
from engine.zahlen import sichtbar

MARKE = "\ue000"  # Platzhalter: dieses Zeichen und die Nummer des einmal kodierten Texts
MINDESTLAENGE = 40  # kürzere Texte kodiert ``json`` schneller, als ein Platzhalter sie einsetzt


class JsonlFormat:
    """Eine Zeile je Kommune. Die Zitate (rund 60 % jeder Zeile) und die langen festen Texte einer Regel werden einmal
    kodiert: im Dokument steht zunächst ein Platzhalter, der kodierte Text ersetzt ihn danach. Das ist derselbe Text
    wie ``json_text(bericht_json(…))``: kompaktes JSON kodiert ein verschachteltes Objekt oder einen Text wie einen
    einzelnen, und ``sichtbar`` ersetzt Zeichen für Zeichen. Steht U+E000 auch in den Daten (mehr Marken als gesetzte
    Platzhalter), wird ohne Platzhalter kodiert."""

    def __init__(self, regelbasis: Regelbasis, stichtag: dt.date):
        self.regelbasis, self.stichtag = regelbasis, stichtag
        self._nummer: dict[int, int] = {}  # id(Zitat oder Text) → Nummer in ``_texte``
        self._texte: list[tuple[object, str]] = []  # (Zitat oder Text, kodiert); das Objekt hält die id gültig
        self._gesetzt = 0  # Platzhalter im gerade gebauten Dokument

    def kopf(self) -> str:
        return ""

    def _platzhalter(self, wert, kodieren) -> str:
        nummer = self._nummer.get(id(wert))
        if nummer is None:
            nummer = self._nummer[id(wert)] = len(self._texte)
            self._texte.append((wert, sichtbar(json.dumps(kodieren(wert), ensure_ascii=False, separators=(",", ":")))))
        self._gesetzt += 1
        return MARKE + str(nummer)

    def _zitat(self, zitat) -> str:
        return self._platzhalter(zitat, zitat_json)

    def _fest(self, wert):
        """Ein fester Text einer Regel oder Fassung (dasselbe Objekt in jedem Bericht); kurze und andere Werte bleiben."""
        if isinstance(wert, str) and len(wert) >= MINDESTLAENGE:
            return self._platzhalter(wert, str)
        return wert

    def __call__(self, kommune: Kommune, stichtag, regelbasis, auswerter, zwischenspeicher) -> tuple[list, str]:
        bericht = erstelle_bericht(kommune, stichtag, regelbasis, auswerter, zwischenspeicher)
        kurz = [(e.regel.id, e.status.value) for e in bericht.ergebnisse]
        if len(self._texte) > 100_000:  # nur zwischen zwei Dokumenten: die Nummern gelten je Dokument
            self._nummer.clear()
            self._texte.clear()
        self._gesetzt = 0
        text = json_text(bericht_json(bericht, zitat=self._zitat, fest=self._fest), kompakt=True)
        if text.count(MARKE) != self._gesetzt:  # U+E000 auch in den Daten: ohne Platzhalter
            return kurz, json_text(bericht_json(bericht), kompakt=True)
        teile = text.split(f'"{MARKE}')
        for i in range(1, len(teile)):
            teil = teile[i]
            ende = teil.index('"')
            teile[i] = self._texte[int(teil[:ende])][1] + teil[ende + 1:]
        return kurz, "".join(teile)


__all__ = ["JsonlFormat"]
