"""Die geprüfte Regelbasis zwischengespeichert: ein Kaltstart liest sie, statt 270 YAML-Dateien neu zu prüfen.

Schlüssel ist ein Fingerabdruck aus dem Inhalt jeder Regeldatei (mit Pfad) und dem Quelltext der Module, die
Regeln lesen und prüfen – ändert sich eine Regel oder die Prüflogik, passt kein alter Eintrag mehr. Wo und wie sicher
gespeichert wird (privates Verzeichnis, Prüfsumme vor dem Entpacken, nur erlaubte Klassen), regelt
``engine/zwischenspeicher.py``; hier steht, welche Klassen eine Regelbasis enthalten darf. Ein Eintrag, der sich nicht
lesen lässt, nicht die erwartete Form hat oder einen anderen Fingerabdruck trägt, wird verworfen und neu gebaut.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from engine import zwischenspeicher as _speicher

FORMAT = 2
NAME = "regelbasis"

# Was eine Regelbasis enthält: die Laufzeitform der Regeln (Datenklassen ohne eigenen Code beim Anlegen), Aufzählungen,
# Datumsangaben. Alles andere im Eintrag bricht das Lesen ab.
ERLAUBT = {
    "engine.regeln.basis": frozenset({"Regelbasis", "GeladeneRegel"}),
    "engine.regeln.modell": frozenset({"Vergleich", "Alle", "Eine", "Nicht", "RegelBezug", "Zitat", "Version",
                                       "Staffelstufe", "Zusatzbetrag", "Betragsparameter", "Foerderung",
                                       "Stellenstufe", "Kostenmodell", "Szenarioangaben", "Regel"}),
    "engine.begriffe": frozenset({"Rolle", "Art", "Verbindlichkeit", "Pruefstatus"}),
    "engine.yamlquelle": frozenset({"Dokument"}),
    "engine.fehler": frozenset({"Meldung", "Fundstelle"}),
    "datetime": frozenset({"date"}),
    "fractions": frozenset({"Fraction"}),
}


def verzeichnis() -> Path | None:
    return _speicher.verzeichnis()


def _code_quellen() -> list[Path]:
    wurzel = Path(__file__).resolve().parent.parent
    return sorted([*wurzel.glob("regeln/*.py"), wurzel / "begriffe.py", wurzel / "felder.py", wurzel / "fehler.py",
                   wurzel / "yamlquelle.py", wurzel / "validierung.py", wurzel / "zwischenspeicher.py"])


def schluessel(dateien: list[Path]) -> str | None:
    """Fingerabdruck aus Regeldateien und Prüfcode; ``None``, wenn eine Datei nicht lesbar ist (dann kein Cache)."""
    h = hashlib.sha256(f"{FORMAT}|{sys.version_info[:2]}".encode())
    try:
        for datei in [*dateien, *_code_quellen()]:
            if not datei.is_file():  # benannte Pipe, Gerät: nie lesen (blockiert); die Prüfung meldet es
                return None
            h.update(str(datei).encode("utf-8", "surrogateescape"))
            h.update(datei.read_bytes())
    except OSError:
        return None
    return h.hexdigest()[:32]


def lies(schluessel_: str):
    eintrag = _speicher.lies(NAME, schluessel_, ERLAUBT)
    if not (isinstance(eintrag, tuple) and len(eintrag) == 2 and eintrag[0] == schluessel_):
        return None
    from engine.regeln.basis import Regelbasis
    from engine.regeln.modell import Regel

    regelbasis = eintrag[1]
    if not isinstance(regelbasis, Regelbasis) or not all(isinstance(g.regel, Regel) for g in regelbasis.regeln.values()):
        return None
    return regelbasis


def schreibe(schluessel_: str, regelbasis) -> None:
    _speicher.schreibe(NAME, schluessel_, (schluessel_, regelbasis))


__all__ = ["schluessel", "lies", "schreibe", "verzeichnis"]
