"""Die Standardausgabe der Kommandozeile: scheitert laut, zeigt jedes Zeichen irgendwie, lässt kein Steuerzeichen
durch.

- **Schreibfehler** (``> /dev/full``, ein Datenträger voll, ein getrenntes Terminal) sind ``AusgabeFehler``: deutsche
  Meldung auf stderr, Exit-Code 2, kein Traceback – auch bei ``--help``. Eine geschlossene Standardausgabe (``>&-``)
  ist derselbe Fehler, sobald etwas geschrieben wird, statt Exit 0 ohne Ausgabe. Schließt der Empfänger einer Pipe
  (``| head``), endet der Befehl still mit Exit-Code 2.
- **Kodierung**: Kann die Kodierung ein Zeichen nicht darstellen (``PYTHONIOENCODING=cp1252`` und „≈“), erscheint ein
  Ersatz („~“, „->“, „?“) statt eines ``UnicodeEncodeError``.
- **Steuerzeichen**: alles, was auf die Standardausgabe geht, läuft durch ``sichtbar`` (zusätzlich zu den Stellen,
  die ihre Texte selbst sichtbar machen).

Ersetzt wird nur die echte Standardausgabe des Prozesses (``sys.__stdout__``); Testläufer mit eigener Ausgabe
(``CliRunner``) bleiben unberührt.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import io
import os
import sys
import unicodedata

from engine.fehler import KommunalpflichtenFehler
from engine.zahlen import sichtbar

ERSATZ = "kommunalpflichten-ersatz"
_ZEICHEN = {"≈": "~", "≥": ">=", "≤": "<=", "≠": "!=", "→": "->", "←": "<-", "↔": "<->", "✓": "+", "✗": "x",
            "■": "#", "□": "o", "–": "-", "—": "-", "„": '"', "“": '"', "”": '"', "‚": "'", "‘": "'", "’": "'",
            "»": '"', "«": '"', "…": "...", "€": "EUR", "§": "Par.", "×": "x", "·": "*", "•": "*", "²": "2",
            "³": "3", "ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "\u00a0": " ",
            "\u202f": " "}


class AusgabeFehler(KommunalpflichtenFehler):
    """Die Standardausgabe lässt sich nicht schreiben (Exit-Code 2)."""

    def __init__(self, text: str, still: bool = False):
        super().__init__(text)
        self.still = still  # Pipe vom Empfänger geschlossen: ohne Meldung


def _ersatz(fehler: UnicodeError):
    if not isinstance(fehler, UnicodeEncodeError):
        raise fehler
    teile = []
    for zeichen in fehler.object[fehler.start:fehler.end]:
        ersatz = _ZEICHEN.get(zeichen)
        if ersatz is None:
            zerlegt = "".join(c for c in unicodedata.normalize("NFKD", zeichen) if not unicodedata.combining(c))
            ersatz = zerlegt if zerlegt.isascii() and zerlegt else "?"
        try:
            ersatz.encode(fehler.encoding)
        except (UnicodeError, LookupError):
            ersatz = "?"
        teile.append(ersatz)
    return "".join(teile), fehler.end


codecs.register_error(ERSATZ, _ersatz)


class _Kanal(io.RawIOBase):
    """Schreibt auf einen Dateideskriptor; der erste Fehler wird ein ``AusgabeFehler``, danach wird verworfen (damit
    das Leeren beim Beenden des Interpreters nicht noch einmal scheitert)."""

    def __init__(self, fd: int | None):
        super().__init__()
        self._fd = fd
        self.kaputt = False

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        if self._fd is None:
            raise OSError(errno.EBADF, "Die Standardausgabe ist geschlossen")
        return self._fd

    def isatty(self) -> bool:
        return self._fd is not None and os.isatty(self._fd)

    def write(self, daten) -> int:
        if self.kaputt:
            return len(daten)
        if self._fd is None:
            self.kaputt = True
            raise AusgabeFehler("Die Standardausgabe ist geschlossen; die Ausgabe ginge verloren. Bitte "
                                "umleiten (> datei) oder --ausgabe angeben.")
        try:
            return os.write(self._fd, daten)
        except OSError as exc:
            self.kaputt = True
            if exc.errno == errno.EPIPE:
                raise AusgabeFehler("Der Empfänger der Standardausgabe hat die Pipe geschlossen.",
                                    still=True) from None
            grund = {errno.ENOSPC: "kein Platz mehr auf dem Datenträger", errno.EIO: "Ein-/Ausgabefehler",
                     errno.EBADF: "ungültiger Dateideskriptor"}.get(exc.errno, exc.strerror or "Ein-/Ausgabefehler")
            raise AusgabeFehler(f"Die Standardausgabe lässt sich nicht schreiben ({grund}).") from None


class _SichtbarerText(io.TextIOWrapper):
    def write(self, text: str) -> int:
        return super().write(sichtbar(text))


def _belege_geschlossene_deskriptoren() -> None:
    """Ein geschlossener Deskriptor 0–2 bekäme sonst die nächste geöffnete Datei – und was „auf die Standardausgabe“
    geht, landete in einer Ergebnisdatei. /dev/null hält den Platz frei."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            neu = os.open(os.devnull, os.O_RDWR)
            if neu != fd:
                os.dup2(neu, fd)
                os.close(neu)


@contextlib.contextmanager
def standardausgabe():
    """Für die Dauer eines Befehls: die Standardausgabe wie oben beschrieben. Am Ende wird sie geleert; ein Fehler
    dabei ist ein ``AusgabeFehler`` wie jeder andere."""
    alt = sys.stdout
    if alt is not None and alt is not sys.__stdout__:
        yield
        return
    geschlossen = alt is None
    _belege_geschlossene_deskriptoren()
    if sys.stderr is None:
        sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8", errors="backslashreplace")
    kodierung = getattr(alt, "encoding", None) or "utf-8"
    kanal = _Kanal(None if geschlossen else alt.fileno())
    neu = _SichtbarerText(io.BufferedWriter(kanal), encoding=kodierung, errors=ERSATZ,
                          line_buffering=bool(alt is not None and alt.line_buffering))
    sys.stdout = neu
    try:
        yield
    finally:
        try:
            neu.flush()  # auch beim Beenden mit sys.exit: ein Fehler hier ersetzt den Exit-Code 0 durch 2
        finally:
            sys.stdout = alt


def melde(fehler: AusgabeFehler) -> None:
    """Die Meldung auf stderr – scheitert auch das, bleibt nur der Exit-Code."""
    if fehler.still:
        return
    with contextlib.suppress(Exception):
        sys.stderr.write(f"Fehler: {sichtbar(str(fehler))}\n")
        sys.stderr.flush()


__all__ = ["AusgabeFehler", "standardausgabe", "melde", "ERSATZ"]
