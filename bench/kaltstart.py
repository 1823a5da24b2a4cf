"""Benchmark: ``kommunalpflichten check --ags …`` vom Kaltstart (neuer Prozess), Median mehrerer Läufe.

    python bench/kaltstart.py [--ags 06413000] [--laeufe 9]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ags", default="06413000")
    parser.add_argument("--laeufe", type=int, default=9)
    args = parser.parse_args()
    befehl = [shutil.which("kommunalpflichten") or sys.executable, "check", "--ags", args.ags]
    if not shutil.which("kommunalpflichten"):
        befehl = [sys.executable, "-m", "cli.main", "check", "--ags", args.ags]
    zeiten = []
    for _ in range(args.laeufe):
        beginn = time.perf_counter()
        subprocess.run(befehl, check=True, capture_output=True)
        zeiten.append(time.perf_counter() - beginn)
    print(f"{' '.join(befehl[-3:])}: Median {statistics.median(zeiten):.3f} s, "
          f"min {min(zeiten):.3f} s, max {max(zeiten):.3f} s ({args.laeufe} Läufe)")


if __name__ == "__main__":
    main()
