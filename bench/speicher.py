"""Benchmark: Speicher über 100.000 Auswertungen durch durable-rules in einem Prozess (resident, in MB).

    python bench/speicher.py [--anzahl 100000]

Gemessen wird der Zuwachs des residenten Speichers (VmRSS) zwischen der 1.000. und der letzten Auswertung; jede
Auswertung ist eine eigene durable-rules-Sitzung (ohne Zwischenspeicher).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.auswertung.durable import auswerter_fuer  # noqa: E402
from engine.kommunen.daten import alle  # noqa: E402
from engine.regeln.basis import lade_regelbasis  # noqa: E402


def rss_mb() -> float:
    for zeile in Path("/proc/self/status").read_text().splitlines():
        if zeile.startswith("VmRSS:"):
            return int(zeile.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--anzahl", type=int, default=100_000)
    args = parser.parse_args()
    regelbasis = lade_regelbasis()
    auswerter = auswerter_fuer(regelbasis)
    profile = [d.profil() for d in alle()]
    tag = dt.date(2025, 6, 1)
    anfang = None
    for i in range(args.anzahl):
        auswerter.inferiere(profile[i % len(profile)], tag)
        if i == 999:
            anfang = rss_mb()
    ende = rss_mb()
    print(f"{args.anzahl} Auswertungen: RSS nach 1.000: {anfang:.1f} MB, am Ende: {ende:.1f} MB, "
          f"Zuwachs {ende - anfang:+.1f} MB; offene Sitzungen: {auswerter.live_sitzungen}")


if __name__ == "__main__":
    main()
