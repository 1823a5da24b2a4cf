"""Die Standardausgabe der Kommandozeile: scheitert laut, zeigt jedes Zeichen irgendwie, lässt kein Steuerzeichen
durch.

- **Schreibfehler** (``> /dev/full``, ein Datenträger voll, ein getrenntes Terminal) sind ``AusgabeFehler``: deutsche
  Meldung auf stderr, Exit-Code 2, kein Traceback – auch bei ``--help``. Scheitert stderr selbst (``2>/dev/full``),
  endet der Befehl still mit Exit-Code 2. Eine geschlossene Standardausgabe (``>&-``)
  ist derselbe Fehler, sobald etwas geschrieben wird, statt Exit 0 ohne Ausgabe. Schließt der Empfänger einer Pipe
  (``| head``), endet der Befehl still mit Exit-Code 2.
- **Kodierung**: Kann die Kodierung ein Zeichen nicht darstellen (``PYTHONIOENCODING=cp1252`` und „≈“), erscheint ein
  Ersatz („~“, „->“, „?“) statt eines ``UnicodeEncodeError``.
- **Steuerzeichen**: alles, was auf die Standardausgabe geht, läuft durch ``sichtbar`` (zusätzlich zu den Stellen,
  die ihre Texte selbst sichtbar machen).

Ersetzt werden nur die echten Ausgaben des Prozesses (``sys.__stdout__``); Testläufer mit eigener Ausgabe
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
    das Leeren beim Beenden des Interpreters nicht noch einmal scheitert). ``still``: Fehler nur merken (stderr – wo
    sollte die Meldung auch hin)."""

    def __init__(self, fd: int | None, still: bool = False):
        super().__init__()
        self._fd = fd
        self._still = still
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
            if self._still:
                return len(daten)
            raise AusgabeFehler("Die Standardausgabe ist geschlossen; die Ausgabe ginge verloren. Bitte "
                                "umleiten (> datei) oder --ausgabe angeben.")
        try:
            return os.write(self._fd, daten)
        except OSError as exc:
            self.kaputt = True
            if self._still:
                return len(daten)
            if exc.errno == errno.EPIPE:
                raise AusgabeFehler("Der Empfänger der Standardausgabe hat die Pipe geschlossen.",
                                    still=True) from None
            grund = {errno.ENOSPC: "kein Platz mehr auf dem Datenträger", errno.EIO: "Ein-/Ausgabefehler",
                     errno.EBADF: "ungültiger Dateideskriptor"}.get(
                         exc.errno, f"Betriebssystemfehler {errno.errorcode.get(exc.errno, exc.errno)}")
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
    """Für die Dauer eines Befehls: Standardausgabe und -fehlerausgabe wie oben beschrieben. Am Ende wird geleert;
    ein Fehler dabei ist ein ``AusgabeFehler`` wie jeder andere. Ließ sich stderr nicht schreiben (``2>/dev/full``),
    endet ein sonst erfolgreicher Befehl mit Exit-Code 2 – eine Meldung ist dort nicht mehr möglich."""
    alt_aus, alt_fehler = sys.stdout, sys.stderr
    if alt_aus is not None and alt_aus is not sys.__stdout__:
        yield
        return
    _belege_geschlossene_deskriptoren()
    aus_kanal = _Kanal(None if alt_aus is None else alt_aus.fileno())
    sys.stdout = _SichtbarerText(io.BufferedWriter(aus_kanal), encoding=getattr(alt_aus, "encoding", None) or "utf-8",
                                 errors=ERSATZ, line_buffering=bool(alt_aus is not None and alt_aus.line_buffering))
    fehler_kanal = _Kanal(2 if alt_fehler is not None else None, still=True)
    sys.stderr = io.TextIOWrapper(io.BufferedWriter(fehler_kanal), errors=ERSATZ, line_buffering=True,
                                  encoding=getattr(alt_fehler, "encoding", None) or "utf-8")
    ende: BaseException | None = None
    try:
        yield
    except BaseException as exc:  # noqa: BLE001 - nur gemerkt, unten unverändert weitergegeben
        ende = exc
        raise
    finally:
        try:
            sys.stdout.flush()  # auch beim Beenden mit sys.exit: ein Fehler hier ersetzt den Exit-Code 0 durch 2
            with contextlib.suppress(Exception):
                sys.stderr.flush()
        finally:
            sys.stdout, sys.stderr = alt_aus, alt_fehler
        erfolgreich = ende is None or (isinstance(ende, SystemExit) and ende.code in (0, None))
        if fehler_kanal.kaputt and erfolgreich:
            raise AusgabeFehler("Die Standardfehlerausgabe lässt sich nicht schreiben.", still=True)


def melde(fehler: AusgabeFehler) -> None:
    """Die Meldung auf stderr – scheitert auch das, bleibt nur der Exit-Code."""
    if fehler.still:
        return
    with contextlib.suppress(Exception):
        sys.stderr.write(f"Fehler: {sichtbar(str(fehler))}\n")
        sys.stderr.flush()


__all__ = ["AusgabeFehler", "standardausgabe", "melde", "ERSATZ"]
