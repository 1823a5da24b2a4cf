"""Die Schichten von engine/ importieren nur abwärts: Grundlagen → regeln, kommunen → auswertung → ausgabe, werkzeuge.

Ein Import gegen die Richtung (z. B. die Auswertung kennt ein Ausgabeformat) oder ein Zyklus fällt hier auf.
"""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import WURZEL

ENGINE = WURZEL / "engine"
GRUNDLAGEN = "grundlagen"
# Schicht → Schichten, aus denen sie importieren darf (außer sich selbst)
ERLAUBT = {
    GRUNDLAGEN: set(),
    "regeln": {GRUNDLAGEN},
    "kommunen": {GRUNDLAGEN},
    "auswertung": {GRUNDLAGEN, "regeln", "kommunen"},
    "ausgabe": {GRUNDLAGEN, "regeln", "kommunen", "auswertung"},
    "werkzeuge": {GRUNDLAGEN, "regeln", "kommunen", "auswertung"},
}


def _schicht(modul: str) -> str:
    teile = modul.split(".")
    if teile[0] != "engine" or len(teile) < 2:
        return ""
    return teile[1] if teile[1] in ERLAUBT else GRUNDLAGEN


def _importe(datei: Path) -> list[tuple[int, str]]:
    baum = ast.parse(datei.read_text(encoding="utf-8"))
    ergebnis = []
    for knoten in ast.walk(baum):
        if isinstance(knoten, ast.ImportFrom) and knoten.module and knoten.level == 0:
            ergebnis.append((knoten.lineno, knoten.module))
        elif isinstance(knoten, ast.Import):
            ergebnis += [(knoten.lineno, a.name) for a in knoten.names]
    return ergebnis


def test_imports_nur_abwaerts():
    verstoesse = []
    for datei in sorted(ENGINE.rglob("*.py")):
        modul = ".".join(datei.relative_to(WURZEL).with_suffix("").parts)
        eigene = _schicht(modul)
        for zeile, ziel in _importe(datei):
            fremde = _schicht(ziel)
            if fremde and fremde != eigene and fremde not in ERLAUBT[eigene]:
                verstoesse.append(f"{datei.relative_to(WURZEL)}:{zeile}: {eigene} importiert {ziel} ({fremde})")
    assert not verstoesse, "\n".join(verstoesse)


def test_keine_relativen_importe_ueber_paketgrenzen():
    for datei in ENGINE.rglob("*.py"):
        for knoten in ast.walk(ast.parse(datei.read_text(encoding="utf-8"))):
            if isinstance(knoten, ast.ImportFrom):
                assert knoten.level <= 1, f"{datei}: relativer Import über die Paketgrenze"
