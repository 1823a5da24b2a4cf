"""Benchmark: ``kommunalpflichten check --ags …`` vom Kaltstart gegen die bloßen Importe seiner Bibliotheken.

    python bench/kaltstart.py [--ags 06413000] [--laeufe 15]

Beide Befehle laufen abwechselnd (verschränkt) in neuen Prozessen; gedruckt werden Median und Minimum (Wanduhr und
CPU-Zeit des Kindprozesses) und die Verhältnisse. Die Basis ist ``python -c "import click, pydantic, yaml;
import durable_rules_engine"`` – der Start des Interpreters und das Laden der Bibliotheken, ohne die eigentliche
Arbeit. Vor der Messung läuft ``check`` einmal, damit der Zwischenspeicher der Regelbasis und der Bytecode-Cache
(``__pycache__``) existieren, wie bei jedem zweiten Aufruf eines Nutzers; ``PYTHONDONTWRITEBYTECODE`` wird für die
Kindprozesse entfernt (mit ihm übersetzte Python jedes eigene Modul bei jedem Start neu, rund 110 ms).

Zusätzlich (``--stufen``): wo die Zeit im Prozess bleibt – Importe, Regelbasis, Kommune finden, Profil, Bericht, Text.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

WURZEL = Path(__file__).resolve().parent.parent

STUFEN = """
import resource, time
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
t = [cpu()]
import click, pydantic, yaml, durable_rules_engine
t.append(cpu())
import datetime as dt
import cli.main
from engine.ausgabe.text import text_bericht
from engine.auswertung.bericht import erstelle_bericht
from engine.auswertung.durable import auswerter_fuer
from engine.kommunen.daten import finde_ags
from engine.regeln.basis import lade_regelbasis
t.append(cpu())
regelbasis = lade_regelbasis()
t.append(cpu())
d = finde_ags("{ags}")
t.append(cpu())
k = d.profil(dt.date.today())
t.append(cpu())
b = erstelle_bericht(k, dt.date.today(), regelbasis, auswerter_fuer(regelbasis))
t.append(cpu())
text_bericht(b, False)
t.append(cpu())
print(" ".join(f"{{1000 * (b - a):.1f}}" for a, b in zip(t, t[1:])))
"""
STUFENNAMEN = ["bloße Importe", "eigene Importe", "Regelbasis (Zwischenspeicher)", "Kommune finden", "Profil",
               "Bericht", "Text"]


from messen import messe, umgebung as _umgebung  # noqa: E402  (gemeinsam mit den übrigen Benchmarks)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ags", default="06413000")
    parser.add_argument("--laeufe", type=int, default=15)
    parser.add_argument("--stufen", action="store_true")
    args = parser.parse_args()
    programm = Path(sys.executable).parent / "kommunalpflichten"
    programm = str(programm) if programm.exists() else shutil.which("kommunalpflichten")
    check = [programm, "check", "--ags", args.ags] if programm else [sys.executable, "-m", "cli.main", "check", "--ags",
                                                                    args.ags]
    basis = [sys.executable, "-c", "import click, pydantic, yaml; import durable_rules_engine"]
    messe(check)  # Zwischenspeicher und Bytecode anlegen
    messe(basis)
    werte: dict[str, list[tuple[float, float]]] = {"check": [], "basis": []}
    for _ in range(args.laeufe):
        werte["check"].append(messe(check))
        werte["basis"].append(messe(basis))
    for name, text in (("check", f"check --ags {args.ags}"), ("basis", "bloße Importe")):
        wand, cpu = [w for w, _ in werte[name]], [c for _, c in werte[name]]
        print(f"{text:<22} Wanduhr Median {statistics.median(wand):.3f} s (min {min(wand):.3f}), "
              f"CPU Median {statistics.median(cpu):.3f} s (min {min(cpu):.3f})")
    m = {n: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for n, v in werte.items()}
    print(f"Verhältnis check / Importe: Wanduhr {m['check'][0] / m['basis'][0]:.2f}, CPU {m['check'][1] / m['basis'][1]:.2f} "
          f"({args.laeufe} verschränkte Läufe)")
    if args.stufen:
        stufen = []
        for _ in range(args.laeufe):
            lauf = subprocess.run([sys.executable, "-c", STUFEN.format(ags=args.ags)], check=True, capture_output=True,
                                  text=True, cwd=WURZEL, env=_umgebung())
            stufen.append([float(x) for x in lauf.stdout.split()])
        print("Stufen im Prozess (CPU, Median in ms): " + ", ".join(
            f"{name} {statistics.median(s[i] for s in stufen):.1f}" for i, name in enumerate(STUFENNAMEN)))


if __name__ == "__main__":
    main()
