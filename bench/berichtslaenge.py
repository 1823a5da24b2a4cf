"""Wie lang wird der kurze Textbericht (``check`` ohne ``--ausfuehrlich``)? Issue 22 verlangt höchstens 80 Zeilen für
jede Kommune an jedem Stichtag.

Wertet jede Kommune (oder eine Auswahl) an den genannten Stichtagen aus, zählt die Zeilen von ``text_bericht`` und
nennt Verteilung und die längsten Berichte (mit AGS, damit ein Test sie festhalten kann).

Aufruf:  python bench/berichtslaenge.py [--stichtag 2026-12-06 ...] [--land SL ...] [--prozesse 2] [--zeige 15]
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import sys
import time
from collections import Counter
from pathlib import Path

WURZEL = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(WURZEL))

from engine.ausgabe.text import text_bericht  # noqa: E402
from engine.auswertung.bericht import erstelle_bericht  # noqa: E402
from engine.auswertung.durable import auswerter_fuer  # noqa: E402
from engine.kommunen.daten import alle  # noqa: E402
from engine.regeln.basis import lade_regelbasis  # noqa: E402

_ZUSTAND: dict = {}


def _zaehle(auftrag: tuple[str, str]) -> tuple[str, str, int]:
    ags, tag = auftrag
    if "regelbasis" not in _ZUSTAND:
        _ZUSTAND["regelbasis"] = lade_regelbasis()
        _ZUSTAND["auswerter"] = auswerter_fuer(_ZUSTAND["regelbasis"])
        _ZUSTAND["daten"] = {d.ags: d for d in alle()}
        _ZUSTAND["speicher"] = {}
    stichtag = dt.date.fromisoformat(tag)
    d = _ZUSTAND["daten"][ags]
    bericht = erstelle_bericht(d.profil(stichtag), stichtag, _ZUSTAND["regelbasis"], _ZUSTAND["auswerter"],
                               _ZUSTAND["speicher"])
    return ags, tag, text_bericht(bericht).count("\n")


def main() -> None:
    argumente = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    argumente.add_argument("--stichtag", action="append", default=None)
    argumente.add_argument("--land", action="append", default=None)
    argumente.add_argument("--prozesse", type=int, default=2)
    argumente.add_argument("--zeige", type=int, default=15)
    a = argumente.parse_args()
    tage = a.stichtag or [dt.date.today().isoformat(), "2023-06-01"]
    auswahl = [d.ags for d in alle() if not a.land or d.land in {x.upper() for x in a.land}]
    auftraege = [(ags, tag) for tag in tage for ags in auswahl]
    beginn = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(a.prozesse) as pool:
        ergebnisse = pool.map(_zaehle, auftraege, chunksize=64)
    dauer = time.perf_counter() - beginn
    namen = {d.ags: d.name for d in alle()}
    verteilung = Counter(min(n // 10 * 10, 100) for _, _, n in ergebnisse)
    print(f"{len(ergebnisse)} Berichte ({len(auswahl)} Kommunen × {len(tage)} Stichtage) in {dauer:.0f} s")
    print("Zeilen  Berichte")
    for stufe in sorted(verteilung):
        print(f"{stufe:>3}–{stufe + 9:<3} {verteilung[stufe]:>7}")
    print(f"längste ({a.zeige}):")
    for ags, tag, n in sorted(ergebnisse, key=lambda t: -t[2])[: a.zeige]:
        print(f"  {n:>4}  {ags:<8}  {tag}  {namen[ags]}")
    zu_lang = sum(1 for *_, n in ergebnisse if n > 80)
    print(f"über 80 Zeilen: {zu_lang}")


if __name__ == "__main__":
    main()
