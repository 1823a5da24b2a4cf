"""Die Massenauswertung (``batch``) als Tabelle für Menschen: deutsche Bezeichnungen statt Kennungen und die
Arbeitsmappe (XLSX) mit einem Blatt „Ergebnisse“ (eine Zeile je Kommune und Regel, dieselben Spalten wie die CSV)
und einem Blatt „Zusammenfassung“ (je Land und Regel: wie viele Kommunen darunter fallen).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from engine.ausgabe.ueberblick import gegenstand_text
from engine.auswertung.betraege import berechne
from engine.auswertung.massen import Zusammenfassung, bewerte
from engine.begriffe import KOMMUNALTYPEN, LAENDER, Art
from engine.felder import FELDER
from engine.kommunen.profil import Kommune
from engine.regeln.basis import Regelbasis

STATUS_DE = {"gilt": "gilt", "entfaellt": "entfällt", "unbestimmt": "offen"}
ART_DE = {"pflicht": "Pflicht", "foerderung": "Förderung", "hinweis": "Hinweis"}
ZUSAMMENFASSUNG_SPALTEN = ["Land", "Kommunen im Land", "Regel", "Titel", "Gegenstand", "Art", "Verbindlichkeit", "gilt",
                           "offen", "entfällt"]


def bezeichnungen(namen: Iterable[str]) -> str:
    """„beiratswahl_ausgefallen, auslaenderanteil“ → „Beiratswahl mangels Bewerbern ausgefallen, Ausländeranteil“."""
    return ", ".join(FELDER[n].bezeichnung if n in FELDER else n for n in namen)


def art_text(regel) -> str:
    return ART_DE[regel.art.value] if regel.art is not None else "Ausnahme"


class XlsxFormat:
    """Wie ``CsvFormat`` (deutsch), aber die Zeilen als Werte (Zahlen bleiben Zahlen, Tage werden Datum) – die
    Arbeitsmappe entsteht im Hauptprozess aus allen Zeilen (``arbeitsmappe``)."""

    def __init__(self, regelbasis: Regelbasis, stichtag: dt.date):
        self.regelbasis, self.stichtag = regelbasis, stichtag

    def kopf(self) -> str:
        return ""

    def __call__(self, kommune: Kommune, stichtag, regelbasis, auswerter, zwischenspeicher) -> tuple[list, list]:
        zeile = bewerte(kommune, stichtag, regelbasis, auswerter, zwischenspeicher)
        k = kommune
        a_von, a_bis = k.spanne("auslaendische_einwohner")
        vorne = [k.ags or "", k.name, LAENDER[k.land].name if k.land in LAENDER else k.land, k.kreis or "",
                 KOMMUNALTYPEN[k.typ].bezeichnung, k.einwohner, k.auslaendische_einwohner, a_von, a_bis]
        zeilen = []
        for rid, status, index in zeile.ergebnisse:
            regel = regelbasis.regel(rid)
            betrag = berechne(regel.foerderung, k, stichtag) if regel.foerderung is not None else None
            zitat = regel.versionen[index].zitat
            vorbehalte = (["Norm nicht ermittelt"] if not zitat.norm_ermittelt else []) + list(zeile.vorbehalte.get(rid, ()))
            ohne = betrag is None or betrag.hoechstbetrag is None
            zeilen.append(vorne + [
                rid, regel.titel, art_text(regel), gegenstand_text(regel.gegenstand),
                regel.verbindlichkeit.value if regel.verbindlichkeit else "", STATUS_DE[status.value],
                bezeichnungen(zeile.offen.get(rid, ())), bezeichnungen(vorbehalte), zitat.norm,
                None if ohne else betrag.hoechstbetrag, "" if ohne else betrag.bezug, regel.stand, stichtag])
        return [(rid, status.value) for rid, status, _ in zeile.ergebnisse], zeilen


def zusammenfassung_zeilen(zusammenfassung: Zusammenfassung, regelbasis: Regelbasis) -> list[list]:
    """Je Land und Regel (ohne reine Hinweise) die Zahl der Kommunen je Status – wie die Tabelle auf der Konsole."""
    zeilen = []
    for land in sorted(zusammenfassung.kommunen, key=lambda c: LAENDER[c].name if c in LAENDER else c):
        for rid in sorted({rid for (l, rid, _) in zusammenfassung.zaehler if l == land}):
            regel = regelbasis.regel(rid)
            if regel.art == Art.hinweis:
                continue
            z = zusammenfassung.zaehler
            zeilen.append([LAENDER[land].name if land in LAENDER else land, zusammenfassung.kommunen[land], rid,
                           regel.titel, gegenstand_text(regel.gegenstand), art_text(regel),
                           regel.verbindlichkeit.value if regel.verbindlichkeit else "", z[(land, rid, "gilt")],
                           z[(land, rid, "unbestimmt")], z[(land, rid, "entfaellt")]])
    return zeilen


__all__ = ["XlsxFormat", "bezeichnungen", "zusammenfassung_zeilen", "ZUSAMMENFASSUNG_SPALTEN", "STATUS_DE", "ART_DE"]
