"""Tabellen als Excel-Arbeitsmappe (XLSX) – eine Form für alle Massenausgaben (``batch``, ``vergleich``,
``regeln wirkung``): so, wie eine Verwaltung eine Tabelle erwartet.

Je Blatt: deutsche Spaltennamen in einer fetten, fixierten Kopfzeile mit Filter, Spaltenbreiten nach dem Inhalt,
der AGS als Text (die führende Null von „06413000“ bleibt), Zahlen als Zahlen, Tage als Datum; unter der Tabelle
(außerhalb des Filters) Angaben wie Stichtag und Datenquelle. Die Mappe trägt Titel, Ersteller und Sprache.

Geschrieben wird im Nur-Schreiben-Modus von openpyxl: die Zeilen fließen durch (ganz Deutschland: ~150.000
Zeilen), nur die ersten ``BREITE_AUS`` Zeilen werden für die Spaltenbreiten vorgehalten.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field

BREITE_AUS = 300  # so viele Zeilen bestimmen die Spaltenbreiten
TEXTSPALTEN = ("AGS",)  # immer als Text: sonst verliert Excel führende Nullen


@dataclass
class Tabelle:
    name: str  # Name des Blatts (höchstens 31 Zeichen)
    spalten: list[str]
    zeilen: Iterable[list]  # Werte: str, int, float, dt.date, None – darf ein Generator sein
    angaben: list[tuple[str, str]] = field(default_factory=list)  # unter der Tabelle, z. B. („Stichtag“, „01.06.2024“)
    textspalten: tuple[str, ...] = TEXTSPALTEN


def _breite(wert) -> int:
    if wert is None:
        return 0
    if isinstance(wert, dt.date):
        return 10
    return max((len(teil) for teil in str(wert).split("\n")), default=0)


def _blatt(mappe, t: Tabelle) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    blatt = mappe.create_sheet(t.name[:31])
    zeilen = iter(t.zeilen)
    vorne = list(itertools.islice(zeilen, BREITE_AUS))
    for index, name in enumerate(t.spalten, start=1):
        breite = max([len(name)] + [_breite(z[index - 1]) for z in vorne if index - 1 < len(z)])
        blatt.column_dimensions[get_column_letter(index)].width = min(max(breite + 2, 8), 60)
    blatt.freeze_panes = "A2"
    text = {i for i, name in enumerate(t.spalten) if name in t.textspalten}
    kopf_schrift, kopf_fuellung = Font(bold=True), PatternFill("solid", fgColor="DDE5EE")
    kopf = []
    for name in t.spalten:
        zelle = WriteOnlyCell(blatt, value=name)
        zelle.font, zelle.fill = kopf_schrift, kopf_fuellung
        zelle.alignment = Alignment(vertical="top", wrap_text=True)
        kopf.append(zelle)
    blatt.append(kopf)
    anzahl = 0
    for werte in itertools.chain(vorne, zeilen):
        blatt.append([_zelle(blatt, w, i in text, WriteOnlyCell) for i, w in enumerate(werte)])
        anzahl += 1
    blatt.auto_filter.ref = f"A1:{get_column_letter(len(t.spalten))}{anzahl + 1}"
    if t.angaben:
        blatt.append([])
        for name, wert in t.angaben:
            zelle = WriteOnlyCell(blatt, value=name)
            zelle.font = kopf_schrift
            blatt.append([zelle, wert])


def _zelle(blatt, wert, als_text: bool, WriteOnlyCell):  # noqa: N803 - Klasse als Parameter
    if als_text and wert is not None:
        zelle = WriteOnlyCell(blatt, value=str(wert))
        zelle.number_format = "@"
        return zelle
    if isinstance(wert, dt.date):
        zelle = WriteOnlyCell(blatt, value=wert)
        zelle.number_format = "DD.MM.YYYY"
        return zelle
    if isinstance(wert, int) and not isinstance(wert, bool) and abs(wert) >= 1000:
        zelle = WriteOnlyCell(blatt, value=wert)
        zelle.number_format = "#,##0"  # Excel setzt den Tausenderpunkt nach der Sprache des Rechners
        return zelle
    return wert


def arbeitsmappe(tabellen: list[Tabelle], titel: str, betreff: str = "",
                 erstellt: dt.datetime | None = None) -> bytes:
    """Die Mappe als Bytes (der Aufrufer schreibt sie atomar); die Blätter in der Reihenfolge von ``tabellen``."""
    from openpyxl import Workbook

    mappe = Workbook(write_only=True)
    for t in tabellen:
        _blatt(mappe, t)
    p = mappe.properties
    p.creator = p.lastModifiedBy = "kommunalpflichten"
    p.title, p.subject, p.language = titel, betreff, "de-DE"
    p.created = p.modified = erstellt or dt.datetime.now().replace(microsecond=0)
    puffer = io.BytesIO()
    mappe.save(puffer)
    return puffer.getvalue()


__all__ = ["Tabelle", "arbeitsmappe", "TEXTSPALTEN"]
