"""Die geprüfte Regelbasis zwischengespeichert: ein Kaltstart liest sie, statt 270 YAML-Dateien neu zu prüfen.

Schlüssel ist ein Fingerabdruck aus dem Inhalt jeder Regeldatei (mit Pfad) und dem Quelltext der Module, die
Regeln lesen und prüfen – ändert sich eine Regel oder die Prüflogik, passt kein alter Eintrag mehr. Damit ein
Kaltstart nicht jede Datei lesen muss, merkt sich ein kleiner Verweis je **Stand** (Pfad, Größe, Änderungs- und
Statuszeit, Inode jeder Datei, ohne sie zu lesen) den Fingerabdruck; jede Änderung einer Datei ändert ihre Statuszeit
und damit den Stand. Ein Verweis entsteht nur, wenn keine Datei jünger als zwei Sekunden ist (eine Änderung im selben
Zeittakt wie das Schreiben des Verweises bliebe sonst unsichtbar); sonst zählt der Inhalt. Wo und wie sicher
gespeichert wird (privates Verzeichnis, Prüfsumme vor dem Entpacken, nur erlaubte Klassen), regelt
``engine/zwischenspeicher.py``; hier steht, welche Klassen eine Regelbasis enthalten darf. Ein Eintrag, der sich nicht
lesen lässt, nicht die erwartete Form hat oder einen anderen Fingerabdruck trägt, wird verworfen und neu gebaut.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
import time
from collections.abc import Callable
from pathlib import Path

from engine import zwischenspeicher as _speicher

FORMAT = 2
NAME = "regelbasis"

# Was eine Regelbasis enthält: die Laufzeitform der Regeln (Datenklassen ohne eigenen Code beim Anlegen), Aufzählungen,
# Datumsangaben. Alles andere im Eintrag bricht das Lesen ab.
ERLAUBT = {
    "engine.regeln.basis": frozenset({"Regelbasis"}),
    "engine.regeln.regelpruefung": frozenset({"GeladeneRegel"}),
    "engine.regeln.modell": frozenset({"Vergleich", "Alle", "Eine", "Nicht", "RegelBezug", "Recherche", "Zitat", "Version",
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


def stand(dateien: list[Path]) -> tuple[str | None, bool]:
    """Schneller Schlüssel aus den Metadaten aller Dateien (ohne sie zu lesen) und ob eine davon frisch geändert ist."""
    h = hashlib.sha256(f"stand {FORMAT}|{sys.version_info[:2]}".encode())
    grenze = time.time_ns() - 2_000_000_000
    frisch = False
    try:
        for datei in [*dateien, *_code_quellen()]:
            info = os.stat(datei)
            if not stat.S_ISREG(info.st_mode):
                return None, True
            h.update(f"{datei}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ctime_ns}\0{info.st_ino}\0{info.st_dev}\n"
                     .encode("utf-8", "surrogateescape"))
            frisch = frisch or max(info.st_mtime_ns, info.st_ctime_ns) > grenze
    except OSError:
        return None, True
    return h.hexdigest()[:32], frisch


def finde(dateien: list[Path], gueltig: Callable[[object], bool]):
    """(gespeicherte Regelbasis oder ``None``, Fingerabdruck des Inhalts oder ``None``) – erst über den Stand, sonst
    über den Inhalt; ein Treffer über den Inhalt hinterlässt einen Verweis für den nächsten Start. ``gueltig`` sagt,
    ob ein gelesener Eintrag eine Regelbasis ist (der Aufrufer kennt ihre Klasse; so importiert dieses Modul
    ``basis.py`` nicht zurück)."""
    stand_, frisch = stand(dateien)
    if stand_ is not None:
        verweis = _speicher.lies("regelstand", stand_, {})
        if isinstance(verweis, str):
            regelbasis = lies(verweis)
            if regelbasis is not None and gueltig(regelbasis):
                return regelbasis, verweis
    schluessel_ = schluessel(dateien)
    regelbasis = lies(schluessel_) if schluessel_ is not None else None
    if regelbasis is not None and not gueltig(regelbasis):
        regelbasis = None
    if regelbasis is not None and stand_ is not None and not frisch:
        _speicher.schreibe("regelstand", stand_, schluessel_)
    return regelbasis, schluessel_


def speichere(dateien: list[Path], schluessel_: str, regelbasis) -> None:
    schreibe(schluessel_, regelbasis)
    stand_, frisch = stand(dateien)
    if stand_ is not None and not frisch:
        _speicher.schreibe("regelstand", stand_, schluessel_)


def lies(schluessel_: str):
    eintrag = _speicher.lies(NAME, schluessel_, ERLAUBT)
    if not (isinstance(eintrag, tuple) and len(eintrag) == 2 and eintrag[0] == schluessel_):
        return None
    return eintrag[1]  # ob es eine Regelbasis ist, prüft ``finde`` mit der Prüfung des Aufrufers


def schreibe(schluessel_: str, regelbasis) -> None:
    _speicher.schreibe(NAME, schluessel_, (schluessel_, regelbasis))


__all__ = ["schluessel", "stand", "finde", "speichere", "lies", "schreibe", "verzeichnis"]
