"""Die geprüfte Regelbasis zwischengespeichert: ein Kaltstart liest sie, statt 270 YAML-Dateien neu zu prüfen.

Schlüssel ist ein Fingerabdruck aus dem Inhalt jeder Regeldatei (mit Pfad) und dem Quelltext der Module, die
Regeln lesen und prüfen – ändert sich eine Regel oder die Prüflogik, passt kein alter Eintrag mehr. Gespeichert wird im
Cache-Verzeichnis des Nutzers (``$XDG_CACHE_HOME/kommunalpflichten`` bzw. ``~/.cache/kommunalpflichten``,
abschaltbar mit ``KOMMUNALPFLICHTEN_CACHE=aus``). Nie blind vertraut: Ein Eintrag, der sich nicht lesen lässt, nicht
die erwartete Form hat oder einen anderen Fingerabdruck trägt, wird verworfen und neu gebaut; scheitert das
Schreiben (schreibgeschütztes Verzeichnis), läuft alles ohne Zwischenspeicher weiter.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

FORMAT = 1


def verzeichnis() -> Path | None:
    if os.environ.get("KOMMUNALPFLICHTEN_CACHE", "").lower() in ("aus", "0", "nein", "off"):
        return None
    basis = os.environ.get("XDG_CACHE_HOME") or (Path.home() / ".cache")
    return Path(basis) / "kommunalpflichten"


def _code_quellen() -> list[Path]:
    wurzel = Path(__file__).resolve().parent.parent
    return sorted([*wurzel.glob("regeln/*.py"), wurzel / "begriffe.py", wurzel / "felder.py", wurzel / "fehler.py",
                   wurzel / "yamlquelle.py", wurzel / "validierung.py"])


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
    ordner = verzeichnis()
    if ordner is None:
        return None
    datei = ordner / f"regelbasis-{schluessel_}.pickle"
    try:
        with open(datei, "rb") as f:
            eintrag = pickle.load(f)
    except Exception:  # noqa: BLE001 - fehlend, beschädigt, unlesbar: neu bauen
        return None
    if not (isinstance(eintrag, tuple) and len(eintrag) == 2 and eintrag[0] == schluessel_):
        return None
    return eintrag[1]  # ob es eine Regelbasis ist, prüft der Aufrufer (basis.py): kein Import zurück, kein Kreis


def schreibe(schluessel_: str, regelbasis) -> None:
    ordner = verzeichnis()
    if ordner is None:
        return
    try:
        ordner.mkdir(parents=True, exist_ok=True)
        for alt in ordner.glob("regelbasis-*.pickle"):  # nur der aktuelle Stand wird aufbewahrt
            alt.unlink(missing_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".regelbasis-", dir=ordner)
        with os.fdopen(fd, "wb") as f:
            pickle.dump((schluessel_, regelbasis), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, ordner / f"regelbasis-{schluessel_}.pickle")
    except OSError:
        try:
            os.unlink(tmp)  # type: ignore[possibly-undefined]
        except (OSError, NameError):
            pass


__all__ = ["schluessel", "lies", "schreibe", "verzeichnis"]
