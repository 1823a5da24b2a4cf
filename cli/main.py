"""``kommunalpflichten``: Pflichten und Förderprogramme einer Kommune mit Rechtsgrundlage."""

from __future__ import annotations

import datetime as dt
import json
import sys

import click

from engine.fehler import EingabeFehler, KommunalpflichtenFehler


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
            text = str(fehler)
            # Meldungen zu Dateien tragen ihre Schwere schon („datei:zeile:spalte: fehler: …“)
            click.echo(text if isinstance(fehler, EingabeFehler) else f"Fehler: {text}", err=True)
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


@main.group(cls=click.Group, context_settings=CONTEXT)
def regeln() -> None:
    """Werkzeuge für alle, die Regeldateien schreiben und prüfen."""


def _pfade(pfade: tuple[str, ...]):
    from pathlib import Path

    return [Path(p) for p in pfade] if pfade else None


@regeln.command("pruefen")
@click.argument("pfade", nargs=-1, type=click.Path(exists=True, path_type=str))
@click.option("--stichtag", type=DatumTyp(), default=None, help="Bis zu diesem Tag auf Lücken prüfen (Standard: heute).")
def regeln_pruefen(pfade: tuple[str, ...], stichtag: dt.date | None) -> None:
    """Regeldateien prüfen: Form, Verweise, Wortlaut ↔ Operator, Zeitachsen, Lücken, Überschneidungen.

    Ausgabe: datei:zeile:spalte: schwere: meldung. Exit-Code 0 = sauber, 1 = Befunde, 2 = Prüfung nicht möglich."""
    from engine.pruefung import pruefe

    bericht = pruefe(_pfade(pfade), stichtag)
    for meldung in bericht.meldungen:
        click.echo(meldung.zeile())
    fehler = len(bericht.fehler)
    warnungen = len(bericht.meldungen) - fehler
    click.echo(f"{bericht.geprueft} Regeldateien geprüft: {fehler} Fehler, {warnungen} Warnungen.", err=True)
    if bericht.meldungen:
        sys.exit(1)


@regeln.command("testen")
@click.argument("pfade", nargs=-1, type=click.Path(exists=True, path_type=str))
def regeln_testen(pfade: tuple[str, ...]) -> None:
    """Regeltests (rules/<land>/tests/*.yaml) ausführen und Abweichungen auf Deutsch berichten."""
    from pathlib import Path

    from engine.durable_backend import auswerter_fuer
    from engine.regelbasis import lade_regelbasis, standard_regelverzeichnis
    from engine.regeltests import bericht_text, fuehre_aus, testdateien

    regelbasis = lade_regelbasis()
    auswerter = auswerter_fuer(regelbasis)
    dateien = testdateien(_pfade(pfade) or [standard_regelverzeichnis()])
    if not dateien:
        raise click.UsageError("Keine Regeltests gefunden (erwartet: rules/<land>/tests/*.yaml).")
    ergebnisse = [e for d in dateien for e in fuehre_aus(Path(d), regelbasis, auswerter)]
    click.echo(bericht_text(ergebnisse))
    if not all(e.bestanden for e in ergebnisse):
        sys.exit(1)


@regeln.command("schema")
def regeln_schema() -> None:
    """Das JSON Schema des Regelformats ausgeben (aus den pydantic-Modellen erzeugt)."""
    from engine.schema import regelschema_text

    click.echo(regelschema_text(), nl=False)


@regeln.command("liste")
@click.option("--land", default=None, help="nur dieses Land (z. B. HE)")
@click.option("--gegenstand", default=None, help="nur dieser Gegenstand (z. B. integrationsgremium)")
def regeln_liste(land: str | None, gegenstand: str | None) -> None:
    """Regeln mit id, Verbindlichkeit, Geltung und Prüfstatus auflisten."""
    from engine.regelbasis import lade_regelbasis

    regelbasis = lade_regelbasis()
    zeilen = []
    for g in sorted(regelbasis.regeln.values(), key=lambda g: (g.regel.land, g.regel.id)):
        r = g.regel
        if (land and r.land != land.upper()) or (gegenstand and r.gegenstand != gegenstand):
            continue
        v = r.versionen[-1]
        modal = r.verbindlichkeit.value if r.verbindlichkeit else "ausnahme"
        bis = v.gueltig_bis.isoformat() if v.gueltig_bis else "offen"
        zeilen.append(f"{r.land}  {r.id:<58} {modal:<9} {r.versionen[0].gueltig_ab.isoformat()} – {bis:<10} "
                      f"{len(r.versionen)} Fass.  {v.zitat.pruefstatus.value}")
    if not zeilen:
        raise click.UsageError("Keine Regel passt zu diesem Filter.")
    click.echo("\n".join(zeilen))


@regeln.command("zeigen")
@click.argument("regel_id")
def regeln_zeigen(regel_id: str) -> None:
    """Eine Regel als deutsche Prosa zeigen: wann sie gilt, Fassungen, Ausnahmen, Wortlaut mit Link."""
    from engine.prosa import regel_prosa
    from engine.regelbasis import lade_regelbasis

    regelbasis = lade_regelbasis()
    if regel_id not in regelbasis.regeln:
        aehnlich = [r for r in regelbasis.regeln if regel_id.split(".")[0] in r][:10]
        raise click.UsageError(f"Die Regel „{regel_id}“ gibt es nicht." + (f" Ähnlich: {', '.join(aehnlich)}" if aehnlich else ""))
    click.echo(regel_prosa(regelbasis.regel(regel_id), regelbasis), nl=False)


if __name__ == "__main__":  # pragma: no cover
    main()
