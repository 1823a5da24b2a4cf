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


def _modulgraph() -> dict[str, set[str]]:
    """Modul → Module von engine/, die es importiert – auch in Funktionen (ein verschobener Import ist kein
    aufgelöster Kreis)."""
    module = {}
    for datei in ENGINE.rglob("*.py"):
        name = ".".join(datei.relative_to(WURZEL).with_suffix("").parts)
        module[name.removesuffix(".__init__")] = datei
    graph = {}
    for name, datei in module.items():
        ziele = set()
        for _, ziel in _importe(datei):
            ziele.add(ziel)
        for knoten in ast.walk(ast.parse(datei.read_text(encoding="utf-8"))):
            if isinstance(knoten, ast.ImportFrom) and knoten.module and knoten.level == 0:
                ziele |= {f"{knoten.module}.{a.name}" for a in knoten.names}
        graph[name] = {z for z in ziele if z in module and z != name}
    return graph


# Bekannte Kreise mit Begründung – jeder weitere ist ein Fehler. Das Kommunenprofil prüft sich beim Anlegen über sein
# pydantic-Format, das Format baut die Laufzeitklassen zurück (Issue 19), und ein gelesenes Profil wird gegen die
# mitgelieferten Daten abgeglichen, die selbst Profile bauen (Issue 21); das aufzulösen ist eine eigene Aufgabe.
BEKANNTE_KREISE = {frozenset({"engine.kommunen.profil", "engine.kommunen.profilformat"}),
                   frozenset({"engine.kommunen.profil", "engine.kommunen.abgleich"}),
                   frozenset({"engine.kommunen.profil", "engine.kommunen.abgleich", "engine.kommunen.daten"}),
                   frozenset({"engine.kommunen.profil", "engine.kommunen.abgleich", "engine.kommunen.daten",
                              "engine.kommunen.tatsachen"})}


def test_keine_importkreise():
    graph = _modulgraph()
    zustand: dict[str, int] = {}  # 1 = in Arbeit, 2 = fertig
    kreise = []

    def besuche(modul: str, pfad: list[str]) -> None:
        zustand[modul] = 1
        for ziel in sorted(graph[modul]):
            if zustand.get(ziel) == 1 and frozenset(pfad[pfad.index(ziel):]) not in BEKANNTE_KREISE:
                kreise.append(" → ".join(pfad[pfad.index(ziel):] + [ziel]))
            elif ziel not in zustand:
                besuche(ziel, pfad + [ziel])
        zustand[modul] = 2

    for modul in sorted(graph):
        if modul not in zustand:
            besuche(modul, [modul])
    assert not kreise, "\n".join(kreise)


def test_kein_modul_ueber_400_zeilen():
    """Kleine Module mit einer Aufgabe (Issue 22): Befehle je Gruppe in cli/, Seiten je Familie in web/."""
    zu_lang = []
    for ordner in ("engine", "cli", "web"):
        for datei in sorted((WURZEL / ordner).rglob("*.py")):
            zeilen = datei.read_text(encoding="utf-8").count("\n")
            if zeilen > 400:
                zu_lang.append(f"{datei.relative_to(WURZEL)}: {zeilen} Zeilen")
    assert not zu_lang, "\n".join(zu_lang)
