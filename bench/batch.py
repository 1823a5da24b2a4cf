"""Benchmark: ganz Deutschland (alle Gemeinden und Kreise) durch durable-rules und durch den Referenz-Auswerter.

    python bench/batch.py [--stichtag 2025-06-01] [--runden 3]

Gemessen wird nach dem Start (Regeln geladen, Regelsätze kompiliert, Daten gelesen): Profil bauen, an allen
Stützpunkten der Spanne auswerten, Status je Regel bilden. Drei Varianten im selben Lauf, Verhältnisse gedruckt:
durable-rules mit kanonischem Zwischenspeicher (wie ``batch``), durable-rules ohne Zwischenspeicher, Referenz.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.auswertung.durable import auswerter_fuer  # noqa: E402
from engine.kommunen.daten import alle  # noqa: E402
from engine.auswertung.massen import bewerte  # noqa: E402
from engine.auswertung.referenz import ReferenzAuswerter  # noqa: E402
from engine.regeln.basis import lade_regelbasis  # noqa: E402


def lauf(datensaetze, stichtag, regelbasis, auswerter, mit_zwischenspeicher: bool) -> tuple[float, list]:
    zwischenspeicher = {} if mit_zwischenspeicher else None
    beginn = time.perf_counter()
    zeilen = [bewerte(d.profil(), stichtag, regelbasis, auswerter, zwischenspeicher) for d in datensaetze]
    return time.perf_counter() - beginn, zeilen


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stichtag", type=dt.date.fromisoformat, default=dt.date(2025, 6, 1))
    parser.add_argument("--runden", type=int, default=3)
    args = parser.parse_args()
    t0 = time.perf_counter()
    regelbasis = lade_regelbasis()
    durable = auswerter_fuer(regelbasis)
    referenz = ReferenzAuswerter(regelbasis)
    daten = alle()
    print(f"Start: {time.perf_counter() - t0:.2f} s; {len(daten)} Profile, {len(regelbasis.regeln)} Regeln")
    ergebnisse = {}
    for name, auswerter, cache in (("durable-rules mit Zwischenspeicher", durable, True),
                                   ("durable-rules ohne Zwischenspeicher", durable, False),
                                   ("Referenz-Auswerter", referenz, False)):
        zeiten = []
        for _ in range(args.runden):
            dauer, zeilen = lauf(daten, args.stichtag, regelbasis, auswerter, cache)
            zeiten.append(dauer)
        median = statistics.median(zeiten)
        ergebnisse[name] = (median, zeilen)
        print(f"{name:<38} {len(daten) / median:>10,.0f} Profile/s (Median aus {args.runden}: {median:.2f} s)".replace(",", "."))
    basis = ergebnisse["durable-rules mit Zwischenspeicher"][0]
    for name, (dauer, _) in ergebnisse.items():
        print(f"Verhältnis {name} / durable-rules mit Zwischenspeicher: {dauer / basis:.2f}")
    gleich = all(a.ergebnisse == b.ergebnisse for a, b in zip(ergebnisse["durable-rules mit Zwischenspeicher"][1],
                                                              ergebnisse["Referenz-Auswerter"][1]))
    print(f"Ergebnisse durable-rules = Referenz: {'ja' if gleich else 'NEIN'}")


if __name__ == "__main__":
    main()
