"""JSONL der Massenauswertung: eine Zeile je Kommune, genau das Dokument von ``check --format json``
(docs/json-vertrag.md) – mit den festen Teilen (Zitate, Titel, Rechtsfolgen, Hinweise) je Regelfassung und den
wiederkehrenden Ergebnissen je Inhalt einmal kodiert."""

from __future__ import annotations

import datetime as dt
import json

from engine.ausgabe.json_vertrag import bericht_json, ergebnis_json, json_text, zitat_json
from engine.auswertung.bericht import Ergebnis, erstelle_bericht
from engine.kommunen.profil import Kommune
from engine.regeln.basis import Regelbasis
from engine.zahlen import sichtbar

MARKE = "\ue000"  # Platzhalter: dieses Zeichen und die Nummer des einmal kodierten Texts
MINDESTLAENGE = 40  # kürzere Texte kodiert ``json`` schneller, als ein Platzhalter sie einsetzt
HOECHSTENS_TEXTE = 100_000  # danach beginnen Nummern und gemerkte Ergebnisse von vorn (zwischen zwei Dokumenten)


def ergebnis_schluessel(e: Ergebnis) -> tuple:
    """Alles, woraus ``ergebnis_json`` den Eintrag eines Ergebnisses baut (Regel und Fassung über ihre Identität, die
    Texte und Werte selbst). Gleicher Schlüssel ⇒ gleicher Eintrag; ``tests/test_jsonl_teile.py`` prüft, dass jedes
    Feld der beteiligten Datenklassen hier vorkommt."""
    f = e.foerderung
    return (id(e.regel), e.version_index, e.status, tuple(e.begruendung),
            tuple((a.regel, a.titel, a.greift, tuple(a.begruendung), id(a.zitat)) for a in e.ausnahmen),
            None if f is None else (f.betrag.hoechstbetrag, f.betrag.rechnung, f.betrag.parameter_ab, f.betrag.einmalig,
                                    f.betrag.laufzeit, f.naechste_frist, f.laeuft_aus),
            tuple((o.merkmal, o.frage, o.bedingung, o.wenn_ja, o.wenn_nein, o.option) for o in e.offen),
            tuple((v.merkmal, v.frage, v.ausnahme, v.option) for v in e.vorbehalte))


class JsonlFormat:
    """Eine Zeile je Kommune. Die Zitate (rund 60 % jeder Zeile) und die langen festen Texte einer Regel werden einmal
    kodiert: im Dokument steht zunächst ein Platzhalter, der kodierte Text ersetzt ihn danach. Ebenso ein ganzes
    Ergebnis, sobald dasselbe Ergebnis (``ergebnis_schluessel``) ein zweites Mal vorkommt – die meisten Ergebnisse
    wiederholen sich in Tausenden Kommunen; eines mit den Zahlen der Kommune in der Begründung kommt meist nur einmal
    vor und wird wie bisher kodiert. Das ist derselbe Text wie ``json_text(bericht_json(…))``: kompaktes JSON kodiert
    ein verschachteltes Objekt oder einen Text wie einen einzelnen, und ``sichtbar`` ersetzt Zeichen für Zeichen. Steht
    U+E000 auch in den Daten (mehr Marken als gesetzte Platzhalter), wird ohne Platzhalter kodiert."""

    def __init__(self, regelbasis: Regelbasis, stichtag: dt.date):
        self.regelbasis, self.stichtag = regelbasis, stichtag
        self._nummer: dict[int, int] = {}  # id(Zitat oder Text) → Nummer in ``_texte``
        self._texte: list[tuple[object, str]] = []  # (Zitat, Text oder Ergebnis, kodiert); hält die ids gültig
        self._ergebnisse: dict[tuple, int] = {}  # ergebnis_schluessel → Nummer in ``_texte``
        self._gesehen: set[tuple] = set()  # einmal vorgekommene Ergebnisse (beim zweiten Mal einmal kodiert)
        self._gesetzt = 0  # Platzhalter im gerade gebauten Dokument

    def kopf(self) -> str:
        return ""

    def _platzhalter(self, wert, kodieren) -> str:
        nummer = self._nummer.get(id(wert))
        if nummer is None:
            nummer = self._nummer[id(wert)] = len(self._texte)
            self._texte.append((wert, _kodiert(kodieren(wert))))
        self._gesetzt += 1
        return MARKE + str(nummer)

    def _zitat(self, zitat) -> str:
        return self._platzhalter(zitat, zitat_json)

    def _fest(self, wert):
        """Ein fester Text einer Regel oder Fassung (dasselbe Objekt in jedem Bericht); kurze und andere Werte bleiben."""
        if isinstance(wert, str) and len(wert) >= MINDESTLAENGE:
            return self._platzhalter(wert, str)
        return wert

    def _ergebnis(self, bericht, e: Ergebnis):
        if bericht.regelbasis is not self.regelbasis:  # die ids im Schlüssel gelten nur in der eigenen Regelbasis
            return ergebnis_json(bericht, e, self._zitat, self._fest)
        schluessel = ergebnis_schluessel(e)
        nummer = self._ergebnisse.get(schluessel)
        if nummer is None:
            if schluessel not in self._gesehen:
                self._gesehen.add(schluessel)
                return ergebnis_json(bericht, e, self._zitat, self._fest)
            nummer = self._ergebnisse[schluessel] = len(self._texte)
            self._texte.append((e, _kodiert(ergebnis_json(bericht, e))))
        self._gesetzt += 1
        return MARKE + str(nummer)

    def __call__(self, kommune: Kommune, stichtag, regelbasis, auswerter, zwischenspeicher) -> tuple[list, str]:
        bericht = erstelle_bericht(kommune, stichtag, regelbasis, auswerter, zwischenspeicher)
        kurz = [(e.regel.id, e.status.value) for e in bericht.ergebnisse]
        if len(self._texte) > HOECHSTENS_TEXTE or len(self._gesehen) > HOECHSTENS_TEXTE:
            self._nummer.clear()  # nur zwischen zwei Dokumenten: die Nummern gelten je Dokument
            self._texte.clear()
            self._ergebnisse.clear()
            self._gesehen.clear()
        self._gesetzt = 0
        text = json_text(bericht_json(bericht, zitat=self._zitat, fest=self._fest, ergebnis=self._ergebnis), kompakt=True)
        if text.count(MARKE) != self._gesetzt:  # U+E000 auch in den Daten: ohne Platzhalter
            return kurz, json_text(bericht_json(bericht), kompakt=True)
        teile = text.split(f'"{MARKE}')
        for i in range(1, len(teile)):
            teil = teile[i]
            ende = teil.index('"')
            teile[i] = self._texte[int(teil[:ende])][1] + teil[ende + 1:]
        return kurz, "".join(teile)


def _kodiert(wert) -> str:
    return sichtbar(json.dumps(wert, ensure_ascii=False, separators=(",", ":")))


__all__ = ["JsonlFormat", "ergebnis_schluessel"]
