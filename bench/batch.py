"""Benchmark: ganz Deutschland (alle Gemeinden, Kreise und Bezirke) durch durable-rules und durch den Referenz-Auswerter.

    python bench/batch.py [--stichtag 2025-06-01] [--runden 5] [--ohne-parallel]

Gemessen wird nach dem Start (Regeln geladen, Daten gelesen), in CPU-Sekunden dieses Prozesses, die Varianten
**verschränkt** in jeder Runde (A B C, A B C, …), damit eine Lastspitze der Maschine alle gleich trifft:

* durable-rules ohne Zwischenspeicher – jeder Stützpunkt eine Sitzung, nur innerhalb eines Profils werden
  gleichwertige Stützpunkte (gleicher kanonischer Fakt) einmal ausgewertet;
* Referenz-Auswerter (reines Python) – jeder Stützpunkt einzeln, ohne Tricks;
* durable-rules mit Zwischenspeicher über alle Profile (wie ``batch``).

Gedruckt: Profile/s je Variante (Median), die Verhältnisse im selben Lauf, und ob alle Ergebnisse gleich sind.
Danach (ohne ``--ohne-parallel``): ``kommunalpflichten batch`` für ganz Deutschland mit 1 und 2 Prozessen (Wanduhr,
samt Schreiben der Datei), Bytevergleich der Dateien, Beschleunigung, und das Verhältnis zu einem kalten ``check``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import filecmp
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WURZEL = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(WURZEL))

from engine.auswertung.durable import DurableAuswerter  # noqa: E402
from engine.auswertung.massen import bewerte  # noqa: E402
from engine.auswertung.referenz import ReferenzAuswerter  # noqa: E402
from engine.kommunen.daten import alle  # noqa: E402
from engine.regeln.basis import lade_regelbasis  # noqa: E402


def lauf(profile, stichtag, regelbasis, auswerter, mit_zwischenspeicher: bool) -> tuple[float, list]:
    zwischenspeicher = {} if mit_zwischenspeicher else None
    beginn = time.process_time()
    zeilen = [bewerte(p, stichtag, regelbasis, auswerter, zwischenspeicher) for p in profile]
    return time.process_time() - beginn, zeilen


def wanduhr(befehl: list[str]) -> float:
    beginn = time.perf_counter()
    subprocess.run(befehl, check=True, capture_output=True, cwd=WURZEL)
    return time.perf_counter() - beginn


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stichtag", type=dt.date.fromisoformat, default=dt.date(2025, 6, 1))
    parser.add_argument("--runden", type=int, default=5)
    parser.add_argument("--ohne-parallel", action="store_true")
    args = parser.parse_args()
    regelbasis = lade_regelbasis()
    durable = DurableAuswerter(regelbasis)
    referenz = ReferenzAuswerter(regelbasis)
    profile = [d.profil(args.stichtag) for d in alle()]
    print(f"{len(profile)} Profile, {len(regelbasis.regeln)} Regeln, Stichtag {args.stichtag:%d.%m.%Y}, "
          f"{args.runden} verschränkte Runden (CPU-Zeit)")
    varianten = (("durable-rules ohne Zwischenspeicher", durable, False), ("Referenz-Auswerter", referenz, False),
                 ("durable-rules mit Zwischenspeicher", durable, True))
    zeiten: dict[str, list[float]] = {name: [] for name, _, _ in varianten}
    zeilen: dict[str, list] = {}
    for _ in range(args.runden):
        for name, auswerter, cache in varianten:
            dauer, zeilen[name] = lauf(profile, args.stichtag, regelbasis, auswerter, cache)
            zeiten[name].append(dauer)
    median = {name: statistics.median(z) for name, z in zeiten.items()}
    for name, m in median.items():
        print(f"  {name:<38} {len(profile) / m:>9,.0f} Profile/s  (Median {m:.2f} s)".replace(",", "."))
    ref = median["Referenz-Auswerter"]
    print(f"Verhältnis durable-rules ohne Zwischenspeicher / Referenz (Geschwindigkeit): "
          f"{ref / median['durable-rules ohne Zwischenspeicher']:.2f}×")
    print(f"Verhältnis durable-rules mit Zwischenspeicher / Referenz (Geschwindigkeit): "
          f"{ref / median['durable-rules mit Zwischenspeicher']:.2f}×")
    gleich = all(a.ergebnisse == b.ergebnisse == c.ergebnisse for a, b, c in zip(*zeilen.values()))
    print(f"Ergebnisse aller drei Varianten gleich: {'ja' if gleich else 'NEIN'}")
    if args.ohne_parallel:
        return
    cli = [sys.executable, "-m", "cli.main"]
    with tempfile.TemporaryDirectory() as tmp:
        ein = Path(tmp) / "ein.csv"
        zwei = Path(tmp) / "zwei.csv"
        t1, t2, kalt = [], [], []
        for _ in range(3):
            t1.append(wanduhr(cli + ["batch", "--stichtag", args.stichtag.isoformat(), "--prozesse", "1", "--ausgabe", str(ein)]))
            t2.append(wanduhr(cli + ["batch", "--stichtag", args.stichtag.isoformat(), "--prozesse", "2", "--ausgabe", str(zwei)]))
            kalt.append(wanduhr(cli + ["check", "--ags", "06413000", "--stichtag", args.stichtag.isoformat()]))
        m1, m2, mk = statistics.median(t1), statistics.median(t2), statistics.median(kalt)
        print(f"batch ganz Deutschland (Wanduhr, samt Start und Schreiben, Median aus 3): 1 Prozess {m1:.2f} s, "
              f"2 Prozesse {m2:.2f} s – Beschleunigung {m1 / m2:.2f}×; Dateien byteweise gleich: "
              f"{'ja' if filecmp.cmp(ein, zwei, shallow=False) else 'NEIN'}")
        print(f"kalter check --ags 06413000: {mk:.2f} s; batch (2 Prozesse) / kalter check: {m2 / mk:.1f}×")


if __name__ == "__main__":
    main()
