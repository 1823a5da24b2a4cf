"""``kommunalpflichten``: Pflichten und Förderprogramme einer Kommune mit Rechtsgrundlage."""

from __future__ import annotations

import datetime as dt
import json
import sys

import click

from engine.fehler import KommunalpflichtenFehler


class DatumTyp(click.ParamType):
    name = "JJJJ-MM-TT"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(f"„{value}“ ist kein gültiges Datum; erwartet JJJJ-MM-TT, z. B. 2023-06-01.", param, ctx)


class Gruppe(click.Group):
    """Fängt alle Fehler des Programms ab: deutsche Meldung, Exit-Code, kein Traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KommunalpflichtenFehler as fehler:
            click.echo(f"Fehler:\n{fehler}" if "\n" in str(fehler) else f"Fehler: {fehler}", err=True)
            sys.exit(fehler.exit_code)


CONTEXT = {"help_option_names": ["-h", "--help"]}


@click.group(cls=Gruppe, context_settings=CONTEXT)
@click.version_option(package_name="kommunalpflichten", message="kommunalpflichten %(version)s")
def main() -> None:
    """Welche Pflichten im Bereich Migration und Integration hat eine Kommune, und welche Optionen gibt ihr das
    Landesrecht? Jede Antwort nennt die Norm mit Wortlaut und die verglichenen Zahlen."""


@main.command()
@click.argument("profil", type=click.Path(dir_okay=False, path_type=str))
@click.option("--stichtag", type=DatumTyp(), default=None, help="Rechtsstand an diesem Tag (Standard: heute).")
@click.option(
    "--format", "ausgabeformat", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True,
    help="text: Bericht fürs Terminal; markdown: für Ratsvorlagen; json: stabiler Datenvertrag.",
)
@click.option("--regeln", "regelpfade", multiple=True, type=click.Path(exists=True, path_type=str),
              help="Andere Regeldateien oder -ordner statt der mitgelieferten (mehrfach möglich).")
def check(profil: str, stichtag: dt.date | None, ausgabeformat: str, regelpfade: tuple[str, ...]) -> None:
    """Pflichten und Optionen der Kommune in PROFIL (YAML oder JSON) ermitteln."""
    from pathlib import Path

    from engine.auswertung import bericht_json, erstelle_bericht
    from engine.darstellung import markdown_bericht, text_bericht
    from engine.durable_backend import auswerter_fuer
    from engine.profil import lade_profil
    from engine.regelbasis import lade_regelbasis

    regelbasis = lade_regelbasis([Path(p) for p in regelpfade] if regelpfade else None)
    kommune = lade_profil(profil)
    bericht = erstelle_bericht(kommune, stichtag or dt.date.today(), regelbasis, auswerter_fuer(regelbasis))
    if ausgabeformat == "json":
        click.echo(json.dumps(bericht_json(bericht), ensure_ascii=False, indent=2))
    elif ausgabeformat == "markdown":
        click.echo(markdown_bericht(bericht), nl=False)
    else:
        click.echo(text_bericht(bericht), nl=False)


if __name__ == "__main__":  # pragma: no cover
    main()
