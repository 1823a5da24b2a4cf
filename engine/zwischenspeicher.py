"""Zwischenspeicher im Cache-Verzeichnis des Nutzers – nie blind vertraut.

Ein Eintrag ist ein Pickle (schnell genug für den Kaltstart), aber gelesen wird er nur, wenn alles stimmt:

* **Ort**: ``$XDG_CACHE_HOME/kommunalpflichten`` bzw. ``~/.cache/kommunalpflichten``; nur absolute Pfade (ein leeres
  ``HOME`` legte den Speicher sonst unter ``/.cache`` oder ins Arbeitsverzeichnis). Das Verzeichnis gehört dem Nutzer,
  ist kein symbolischer Link und nur für ihn zugänglich (0700; ein eigenes, zu offenes wird auf 0700 gesetzt, ein
  fremdes nie benutzt).
* **Datei**: nur eine gewöhnliche Datei des Nutzers, ohne Link zu folgen und ohne zu warten (eine benannte Pipe oder
  ein Link auf ``/dev/stdin`` an ihrer Stelle ließe ``check`` sonst für immer hängen), höchstens ``MAX_BYTES``.
* **Herkunft und Unversehrtheit**: vor dem Entpacken wird eine HMAC-SHA256 über Name, Schlüssel und Inhalt geprüft,
  mit einem Zufallsschlüssel dieser Installation (Datei ``.schluessel`` im privaten Verzeichnis). Ein gekipptes Bit,
  ein abgeschnittener oder ein fremder Eintrag fällt so auf, bevor ein Byte entpackt ist.
* **Entpacken**: nur Klassen aus einer festen Liste je Eintrag (``erlaubt``); jede andere Klasse oder Funktion im
  Pickle bricht das Lesen ab – auch ein Eintrag mit gültiger Prüfsumme kann so keinen Code ausführen.

Im Zweifel gilt ein Eintrag als nicht vorhanden: der Aufrufer baut neu. Scheitert das Schreiben (schreibgeschütztes
Verzeichnis, volle Platte), läuft alles ohne Zwischenspeicher weiter. Abschalten: ``KOMMUNALPFLICHTEN_CACHE=aus``.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import pickle
import stat
from collections.abc import Mapping
from pathlib import Path

KENNUNG = b"kommunalpflichten-zwischenspeicher 2\n"
MAX_BYTES = 64 * 1024 * 1024  # der größte Eintrag (Regelbasis) hat unter 1 MB
_SCHLUESSELDATEI = ".schluessel"
_SCHLUESSEL_BYTES = 32
_AUS = ("aus", "0", "nein", "off")


def _nutzer() -> int | None:
    return os.geteuid() if hasattr(os, "geteuid") else None  # ohne Nutzerkennungen (Windows): nur die übrigen Prüfungen


def _gehoert_mir(info: os.stat_result) -> bool:
    return _nutzer() is None or info.st_uid == _nutzer()


def verzeichnis() -> Path | None:
    """Wo der Zwischenspeicher liegt (ohne etwas anzulegen); ``None``: abgeschaltet oder kein sicherer Ort."""
    if os.environ.get("KOMMUNALPFLICHTEN_CACHE", "").lower() in _AUS:
        return None
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):  # die XDG-Spezifikation: relative Angaben sind ungültig und werden übergangen
        return Path(xdg) / "kommunalpflichten"
    heim = os.environ.get("HOME", "")
    if not os.path.isabs(heim):
        try:
            import pwd

            heim = pwd.getpwuid(_nutzer()).pw_dir
        except (ImportError, KeyError, OSError, TypeError):
            return None
    if not os.path.isabs(heim) or os.path.normpath(heim) == "/":
        return None  # kein Heimatverzeichnis: kein Speicher unter /.cache
    return Path(heim) / ".cache" / "kommunalpflichten"


def _privat(ordner: Path, anlegen: bool) -> bool:
    """Ist ``ordner`` ein Verzeichnis nur dieses Nutzers (bei Bedarf angelegt bzw. auf 0700 gesetzt)?"""
    try:
        if anlegen:
            ordner.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.mkdir(ordner, 0o700)
            except FileExistsError:
                pass
        info = os.lstat(ordner)
        if not stat.S_ISDIR(info.st_mode) or not _gehoert_mir(info):
            return False
        if stat.S_IMODE(info.st_mode) & 0o077:
            os.chmod(ordner, 0o700)  # angelegt von einer älteren Fassung mit 0755
            return stat.S_IMODE(os.lstat(ordner).st_mode) & 0o077 == 0
        return True
    except OSError:
        return False


def _lies_datei(pfad: Path, hoechstens: int) -> bytes | None:
    """Den Inhalt einer gewöhnlichen Datei dieses Nutzers, ohne einem Link zu folgen und ohne zu blockieren."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(pfad, flags)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or not _gehoert_mir(info) or info.st_size > hoechstens \
                or stat.S_IMODE(info.st_mode) & 0o022:
            return None
        teile, gelesen = [], 0
        while gelesen <= hoechstens:
            teil = os.read(fd, min(1 << 20, hoechstens + 1 - gelesen))
            if not teil:
                return b"".join(teile)
            teile.append(teil)
            gelesen += len(teil)
        return None  # während des Lesens gewachsen
    except OSError:
        return None
    finally:
        os.close(fd)


def _schreibe_datei(ordner: Path, name: str, inhalt: bytes, exklusiv: bool = False) -> bool:
    """Atomar (temporäre Datei, dann umbenennen) mit Rechten 0600; ``exklusiv``: nie eine bestehende ersetzen."""
    import tempfile

    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=".neu-", dir=ordner)  # 0600
        with os.fdopen(fd, "wb") as f:
            f.write(inhalt)
        if exklusiv:
            os.link(tmp, ordner / name)  # scheitert, wenn es die Datei schon gibt
            os.unlink(tmp)
        else:
            os.replace(tmp, ordner / name)
        return True
    except OSError:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        return False


def _installationsschluessel(ordner: Path, anlegen: bool) -> bytes | None:
    """Der geheime Zufallsschlüssel dieser Installation für die HMAC; beim ersten Schreiben angelegt."""
    pfad = ordner / _SCHLUESSELDATEI
    schluessel = _lies_datei(pfad, _SCHLUESSEL_BYTES)
    if schluessel is not None and len(schluessel) == _SCHLUESSEL_BYTES:
        return schluessel
    if not anlegen:
        return None
    if schluessel is not None or pfad.is_symlink() or pfad.exists():
        try:
            pfad.unlink()  # unbrauchbar (falsche Länge, fremd, kein gewöhnliche Datei): ersetzen
        except OSError:
            return None
    if not _schreibe_datei(ordner, _SCHLUESSELDATEI, os.urandom(_SCHLUESSEL_BYTES), exklusiv=True):
        pass  # ein paralleler Prozess war schneller: dessen Schlüssel gilt
    schluessel = _lies_datei(pfad, _SCHLUESSEL_BYTES)
    return schluessel if schluessel is not None and len(schluessel) == _SCHLUESSEL_BYTES else None


def _signatur(schluessel: bytes, name: str, eintrag: str, inhalt: bytes) -> bytes:
    kopf = f"{name}\0{eintrag}\0".encode("utf-8", "surrogateescape")
    return hmac.new(schluessel, kopf + inhalt, hashlib.sha256).digest()


def _dateiname(name: str, eintrag: str) -> str:
    return f"{name}-{eintrag}.pickle"


class _Entpacker(pickle.Unpickler):
    """Entpackt nur Klassen aus der Liste ``erlaubt`` (Modul → Namen); alles andere bricht ab."""

    def __init__(self, datei, erlaubt: Mapping[str, frozenset[str] | set[str]]):
        super().__init__(datei)
        self._erlaubt = erlaubt

    def find_class(self, modul: str, name: str):
        if name not in self._erlaubt.get(modul, ()):
            raise pickle.UnpicklingError(f"{modul}.{name} ist im Zwischenspeicher nicht erlaubt")
        objekt = super().find_class(modul, name)
        if not isinstance(objekt, type):
            raise pickle.UnpicklingError(f"{modul}.{name} ist keine Klasse")
        return objekt


def fingerabdruck(quellen, zusatz: str = "") -> str | None:
    """Schlüssel eines Eintrags aus dem Inhalt seiner Quellen (Pfade oder ``importlib.resources``-Dateien, mit Namen);
    ``None``, wenn eine nicht gelesen werden kann (dann kein Zwischenspeicher)."""
    import sys

    h = hashlib.sha256(f"{zusatz}|{sys.version_info[:2]}".encode())
    try:
        for quelle in quellen:
            h.update(str(quelle).encode("utf-8", "surrogateescape") + b"\0")
            h.update(quelle.read_bytes())
    except OSError:
        return None
    return h.hexdigest()[:32]


def lies(name: str, eintrag: str, erlaubt: Mapping[str, frozenset[str] | set[str]]) -> object | None:
    """Der Eintrag ``name`` mit dem Schlüssel ``eintrag`` (z. B. ein Fingerabdruck der Eingaben) oder ``None``."""
    ordner = verzeichnis()
    if ordner is None or not _privat(ordner, anlegen=False):
        return None
    schluessel = _installationsschluessel(ordner, anlegen=False)
    if schluessel is None:
        return None
    roh = _lies_datei(ordner / _dateiname(name, eintrag), MAX_BYTES)
    if roh is None or not roh.startswith(KENNUNG) or len(roh) < len(KENNUNG) + 32:
        return None
    signatur, inhalt = roh[len(KENNUNG):len(KENNUNG) + 32], roh[len(KENNUNG) + 32:]
    if not hmac.compare_digest(signatur, _signatur(schluessel, name, eintrag, inhalt)):
        return None
    try:
        return _Entpacker(io.BytesIO(inhalt), erlaubt).load()
    except Exception:  # noqa: BLE001 - trotz gültiger Signatur unlesbar (andere Fassung des Codes): neu bauen
        return None


def schreibe(name: str, eintrag: str, objekt: object) -> bool:
    """``objekt`` als Eintrag ``name`` speichern; ältere Einträge desselben Namens werden entfernt."""
    ordner = verzeichnis()
    if ordner is None or not _privat(ordner, anlegen=True):
        return False
    schluessel = _installationsschluessel(ordner, anlegen=True)
    if schluessel is None:
        return False
    try:
        inhalt = pickle.dumps(objekt, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return False
    for alt in ordner.glob(_dateiname(name, "*")):  # nur der aktuelle Stand wird aufbewahrt
        try:
            alt.unlink()
        except OSError:
            pass
    return _schreibe_datei(ordner, _dateiname(name, eintrag),
                           KENNUNG + _signatur(schluessel, name, eintrag, inhalt) + inhalt)


__all__ = ["verzeichnis", "lies", "schreibe", "fingerabdruck", "KENNUNG"]
