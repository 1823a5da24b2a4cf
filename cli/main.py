"""``kommunalpflichten``: Pflichten und Förderprogramme einer Kommune mit Rechtsgrundlage."""

from __future__ import annotations

import gc
import sys

import click

from cli.deutsch import aktiviere as _deutsch
from cli.typen import CONTEXT, SCHNELL_BEENDEN, Befehl, DatumTyp, Untergruppe, DeutscheHilfe
from cli.kanal import AusgabeFehler, melde, standardausgabe
from engine.fehler import EingabeFehler, KommunalpflichtenFehler
from engine.zahlen import sichtbar

_deutsch()


class Gruppe(DeutscheHilfe, click.Group):
    """Fängt alle Fehler des Programms ab: deutsche Meldung, Exit-Code, kein Traceback."""

    command_class = Befehl
    group_class = Untergruppe

    def main(self, *args, **kwargs):
        # Ein Befehl wie ``check`` lebt unter einer Sekunde; die Speicherbereinigung während der Importe kostet dort
        # ~10 %. Lang laufende Befehle (batch, web) schalten sie selbst wieder ein; danach gilt der alte Zustand.
        vorher = gc.isenabled()
        gc.disable()
        try:
            with standardausgabe():
                return super().main(*args, **kwargs)
        except AusgabeFehler as fehler:  # auch aus --help und beim letzten Leeren der Ausgabe
            melde(fehler)
            sys.exit(fehler.exit_code)
        finally:
            if vorher:
                gc.enable()

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except AusgabeFehler:
            raise
        except KommunalpflichtenFehler as fehler:
            text = str(fehler)
            # Meldungen zu Dateien tragen ihre Schwere schon („datei:zeile:spalte: fehler: …“)
            click.echo(sichtbar(text if isinstance(fehler, EingabeFehler) else f"Fehler: {text}"), err=True)
            sys.exit(fehler.exit_code)


@click.group(cls=Gruppe, context_settings=CONTEXT)
@click.version_option(package_name="kommunalpflichten", message="kommunalpflichten %(version)s",
                      help="Version zeigen und beenden.")
def main() -> None:
    """Welche Pflichten im Bereich Migration und Integration hat eine Kommune, und welche Optionen gibt ihr das
    Landesrecht? Jede Antwort nennt die Norm mit Wortlaut und die verglichenen Zahlen."""


def start() -> None:
    """Einstieg des Programms ``kommunalpflichten``: wie ``main``; nach einem kurzen Befehl werden die Ausgaben
    geleert und der Prozess sofort beendet (``os._exit``) – mit demselben Exit-Code."""
    try:
        main(prog_name="kommunalpflichten")
        code: object = 0
    except SystemExit as ende:
        code = ende.code
    if not SCHNELL_BEENDEN["an"]:
        raise SystemExit(code)
    import contextlib
    import os

    from cli import kanal as _kanal

    if code is None:
        code = 0
    elif not isinstance(code, int):
        if sys.stderr is not None:
            with contextlib.suppress(Exception):
                print(sichtbar(str(code)), file=sys.stderr)
        code = 1
    # Die Ausgaben des Befehls hat ``kanal.standardausgabe`` schon geleert (ein Fehler dort ist Exit 2 mit Meldung);
    # hier bleibt, was danach noch auf die ursprünglichen Ströme ging. Ein Strom fehlt (``>&-``): nichts zu leeren.
    for strom in (sys.stdout, sys.stderr):
        if strom is None:
            continue
        try:
            strom.flush()
        except (OSError, ValueError):
            if not code:
                code = 2
                if strom is sys.stdout:
                    with contextlib.suppress(OSError):
                        os.write(2, "Fehler: Die Standardausgabe lässt sich nicht schreiben.\n".encode(
                            getattr(sys.stderr, "encoding", None) or "utf-8", _kanal.ERSATZ))
    os._exit(code)


def _befehle() -> None:
    """Die Befehle je Gruppe in eigenen Modulen (importiert erst hier, wenn ``main`` fertig ist); ``vergleich`` und
    ``szenario`` stehen in ``cli/analyse.py``."""
    from cli.analyse import registriere
    from cli.dienste import merkmale_befehl, web_befehl
    from cli.massen import batch
    from cli.pruefen import check
    from cli.regeln import regeln

    for befehl in (check, batch, web_befehl, merkmale_befehl, regeln):
        main.add_command(befehl)
    registriere(main, Befehl, DatumTyp)


_befehle()


if __name__ == "__main__":  # pragma: no cover
    start()

