"""Gemeinsame Messhilfe der Benchmarks: ein Befehl als Kindprozess, Wanduhr und CPU-Zeit – wie bei einer
Installation (Bytecode-Cache an; die Umgebung dieser Maschine setzt ``PYTHONDONTWRITEBYTECODE``, das jeden Start um
rund 110 ms verlängert)."""

from __future__ import annotations

import os
import resource
import subprocess
import time
from pathlib import Path

WURZEL = Path(__file__).resolve().parent.parent


def umgebung() -> dict:
    """Wie bei einer Installation: Bytecode-Cache an, eigener Zwischenspeicher bleibt der des Nutzers."""
    ergebnis = dict(os.environ)
    ergebnis.pop("PYTHONDONTWRITEBYTECODE", None)
    return ergebnis


def messe(befehl: list[str]) -> tuple[float, float]:
    """(Wanduhr, CPU-Zeit des Kindprozesses) in Sekunden."""
    vorher = resource.getrusage(resource.RUSAGE_CHILDREN)
    beginn = time.perf_counter()
    subprocess.run(befehl, check=True, capture_output=True, cwd=WURZEL, env=umgebung())
    wand = time.perf_counter() - beginn
    nachher = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wand, (nachher.ru_utime - vorher.ru_utime) + (nachher.ru_stime - vorher.ru_stime)
