"""Was die installierte Fassung braucht, steht im Paket: jede Datei neben dem Code ist von package-data erfasst.

Die Tests laufen aus dem Quellbaum und sähen eine fehlende Datendatei nicht; die CI fand so einmal
``engine/daten/amtliche_quellen.yaml`` erst beim ``regeln pruefen`` der Installation.
"""

from __future__ import annotations

import ast
import fnmatch
import re

from .conftest import WURZEL

_PAKETE = ("engine/daten", "web", "kommunen_examples", "rules")


def _paketdaten() -> dict[str, list[str]]:
    text = (WURZEL / "pyproject.toml").read_text(encoding="utf-8")
    abschnitt = text.split("[tool.setuptools.package-data]", 1)[1].split("\n[", 1)[0]
    ergebnis = {}
    for zeile in abschnitt.splitlines():
        treffer = re.match(r'^"?([\w.]+)"?\s*=\s*(\[.*\])\s*$', zeile.strip())
        if treffer:
            ergebnis[treffer.group(1)] = ast.literal_eval(treffer.group(2))
    return ergebnis


def test_jede_datendatei_ist_im_paket():
    muster = _paketdaten()
    fehlend = []
    for paket in _PAKETE:
        ordner = WURZEL / paket
        globs = muster.get(paket.replace("/", "."), [])
        for datei in ordner.rglob("*"):
            if not datei.is_file() or datei.suffix in (".py", ".pyc") or "__pycache__" in datei.parts:
                continue
            relativ = datei.relative_to(ordner).as_posix()
            if paket == "rules" and relativ.startswith("szenarien/"):
                continue  # Szenarien gehören nie zur Regelbasis und werden nicht mitgeliefert
            if not any(fnmatch.fnmatch(relativ, g) or fnmatch.fnmatch(relativ, g.replace("**/", "")) for g in globs):
                fehlend.append(f"{paket}/{relativ}")
    assert not fehlend, f"nicht in [tool.setuptools.package-data]: {fehlend[:20]}"
