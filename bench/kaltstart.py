"""Benchmark: ``kommunalpflichten check --ags …`` vom Kaltstart gegen die bloßen Importe seiner Bibliotheken.

    python bench/kaltstart.py [--ags 06413000] [--laeufe 9]

Beide Befehle laufen abwechselnd (verschränkt) in neuen Prozessen; gedruckt werden die Mediane (Wanduhr) und ihr
Verhältnis. Die Basis ist ``python -c "import click, pydantic, yaml; import durable_rules_engine"`` – der Start des
Interpreters und das Laden der Bibliotheken, ohne die eigentliche Arbeit. Vor der Messung läuft ``check`` einmal,
damit der Zwischenspeicher der Regelbasis existiert (wie bei jedem zweiten Aufruf eines Nutzers).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

WURZEL = Path(__file__).resolve().parent.parent


def dauer(befehl: list[str]) -> float:
    beginn = time.perf_counter()
    subprocess.run(befehl, check=True, capture_output=True, cwd=WURZEL)
    return time.perf_counter() - beginn


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ags", default="06413000")
    parser.add_argument("--laeufe", type=int, default=9)
    args = parser.parse_args()
    programm = shutil.which("kommunalpflichten")
    check = [programm, "check", "--ags", args.ags] if programm else [sys.executable, "-m", "cli.main", "check", "--ags", args.ags]
    basis = [sys.executable, "-c", "import click, pydantic, yaml; import durable_rules_engine"]
    dauer(check)  # Zwischenspeicher anlegen
    zeiten_check, zeiten_basis = [], []
    for _ in range(args.laeufe):
        zeiten_check.append(dauer(check))
        zeiten_basis.append(dauer(basis))
    c, b = statistics.median(zeiten_check), statistics.median(zeiten_basis)
    print(f"check --ags {args.ags}: Median {c:.3f} s (min {min(zeiten_check):.3f}, max {max(zeiten_check):.3f})")
    print(f"bloße Importe:         Median {b:.3f} s (min {min(zeiten_basis):.3f}, max {max(zeiten_basis):.3f})")
    print(f"Verhältnis check / Importe: {c / b:.2f} ({args.laeufe} verschränkte Läufe)")


if __name__ == "__main__":
    main()
