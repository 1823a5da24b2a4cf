"""``check``: Pflichten, Förderprogramme und Optionen einer Kommune – der Bericht in jeder Form."""

from __future__ import annotations

import datetime as dt

import click

from cli.typen import Befehl, DatumTyp, MerkmalTyp, kurzer_befehl
from engine.zahlen import sichtbar


@click.command(cls=Befehl)
@click.argument("profil", required=False, type=click.Path(dir_okay=False, path_type=str))
@click.option("--ags", default=None,
              help="Amtlicher Gemeindeschlüssel (8 Ziffern, Kreise 5; auch ohne führende Null oder als 12-stelliger "
                   "Regionalschlüssel): Profil aus den mitgelieferten Daten.")
@click.option("--name", "name", default=None,
              help="Name der Gemeinde, des Kreises oder Bezirks („Mainz“, „Stadt Mainz“, „Landkreis Leipzig“, "
                   "„Frankfurt/Main“, „Neukölln“): Profil aus den mitgelieferten Daten.")
@click.option("--einwohner", type=click.IntRange(min=1), default=None, help="eigene Einwohnerzahl (ersetzt die mitgelieferte)")
@click.option("--auslaendische-einwohner", "auslaendische", type=click.IntRange(min=0), default=None,
              help="eigene Zahl der ausländischen Einwohner, z. B. aus dem Melderegister (ersetzt die Schätzung)")
@click.option("--zaehlweise", type=click.Choice(["melderegister", "azr", "fortschreibung", "sonstige"]), default=None,
              help="wie die eigene Zahl der ausländischen Einwohner gezählt ist (die Gesetze meinen das Melderegister); "
                   "der Bericht nennt sie")
@click.option("--stand-der-zahl", "zahlenstand", type=DatumTyp(), default=None,
              help="Stichtag der eigenen Zahl der ausländischen Einwohner, z. B. 30.06.2025; der Bericht nennt ihn")
@click.option("--merkmal", "merkmale", multiple=True, type=MerkmalTyp(),
              help="eine Tatsache setzen: NAME=ja|nein|unbekannt (mehrfach möglich; Liste: kommunalpflichten merkmale)")
@click.option("--stichtag", type=DatumTyp(), default=None, help="Rechtsstand an diesem Tag, z. B. 01.06.2023 oder 2023-06-01 (Standard: heute).")
@click.option(
    "--format", "ausgabeformat", type=click.Choice(["text", "json", "markdown", "docx"]), default="text",
    show_default=True,
    help="text: Bericht fürs Terminal; markdown: für Ratsvorlagen; docx: Word-Dokument (mit --ausgabe); "
         "json: stabiler Datenvertrag.",
)
@click.option("--ausgabe", "ausgabedatei", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="in diese Datei schreiben (atomar) statt auf die Standardausgabe; für docx nötig")
@click.option("--ausfuehrlich", is_flag=True,
              help="jede Karte mit Link, Wortlaut, Ausnahmen, Hinweisen (Text, Markdown, DOCX).")
@click.option("--als-profil", "als_profil", is_flag=True,
              help="statt des Berichts ein vorausgefülltes, kommentiertes Profil ausgeben (zum Bearbeiten und erneuten Prüfen)")
@click.option("--regeln", "regelpfade", multiple=True, type=click.Path(exists=True, path_type=str),
              help="Andere Regeldateien oder -ordner statt der mitgelieferten (mehrfach möglich).")
@click.option("--szenario", "szenarien", multiple=True, type=click.Path(exists=True, file_okay=False, path_type=str),
              help="Entwürfe aus diesem Ordner über die Regeln legen (z. B. rules/szenarien/…); die Ausgabe markiert "
                   "sie als „Szenario – kein geltendes Recht“.")
def check(profil: str | None, ags: str | None, name: str | None, einwohner: int | None, auslaendische: int | None,
          zaehlweise: str | None, zahlenstand: dt.date | None, merkmale: tuple, stichtag: dt.date | None,
          ausgabeformat: str, ausgabedatei: str | None, ausfuehrlich: bool,
          als_profil: bool, regelpfade: tuple[str, ...], szenarien: tuple[str, ...]) -> None:
    """Pflichten, Förderprogramme und Optionen einer Kommune ermitteln.

    Die Kommune kommt aus einer Profildatei PROFIL (YAML oder JSON) oder aus den mitgelieferten Daten aller Gemeinden
    und Kreise (--ags, --name). Eigene Zahlen (--einwohner, --auslaendische-einwohner) und Tatsachen (--merkmal) haben
    Vorrang."""
    from pathlib import Path

    from engine.auswertung.bericht import erstelle_bericht
    from engine.auswertung.durable import auswerter_fuer
    from engine.regeln.basis import lade_regelbasis

    kurzer_befehl()
    if sum(x is not None for x in (profil, ags, name)) != 1:
        raise click.UsageError("Bitte genau eines angeben: eine Profildatei, --ags oder --name.")
    stichtag = stichtag or dt.date.today()
    regelbasis = lade_regelbasis([Path(p) for p in regelpfade] if regelpfade else None,
                                 szenario=[Path(p) for p in szenarien] or None)
    if profil is not None:
        from engine.kommunen.profil import lade_profil

        kommune = lade_profil(profil)
    else:
        if ags is not None:
            from engine.kommunen.daten import finde_ags

            datensatz = finde_ags(ags)
        else:
            from engine.kommunen.suche import nach_name

            treffer = nach_name(name)
            datensatz = treffer.gewaehlt
            if treffer.hinweis:
                click.echo(sichtbar(f"Gewählt: {datensatz.ags} ({datensatz.name}). {treffer.hinweis}"), err=True)
        kommune = datensatz.profil(stichtag)
    from engine.kommunen.profil import mit_eigenen_zahlen, mit_merkmalen

    kommune = mit_eigenen_zahlen(kommune, einwohner, auslaendische, zaehlweise=zaehlweise, stand=zahlenstand)

    kommune = mit_merkmalen(kommune, merkmale)
    if als_profil:
        from engine.ausgabe.profilvorlage import profilvorlage

        click.echo(sichtbar(profilvorlage(kommune, regelbasis)), nl=False)
        return
    if ausgabeformat == "docx" and ausgabedatei is None:
        raise click.UsageError("Für --format docx bitte eine Datei angeben: --ausgabe bericht.docx")
    bericht = erstelle_bericht(kommune, stichtag, regelbasis, auswerter_fuer(regelbasis))
    if ausgabeformat == "json":
        from engine.ausgabe.json_vertrag import bericht_json, json_text

        inhalt: str | bytes = json_text(bericht_json(bericht))
    elif ausgabeformat == "markdown":
        from engine.ausgabe.markdown import markdown_bericht

        inhalt = markdown_bericht(bericht, ausfuehrlich)
    elif ausgabeformat == "docx":
        from engine.ausgabe.docx_bericht import docx_bericht

        inhalt = docx_bericht(bericht, ausfuehrlich)
    else:
        from engine.ausgabe.text import text_bericht

        inhalt = text_bericht(bericht, ausfuehrlich)
    if ausgabedatei is None:
        click.echo(sichtbar(inhalt), nl=False)
        return
    from pathlib import Path

    from engine.ausgabe.dateien import AtomareDatei

    with AtomareDatei(Path(ausgabedatei), binaer=isinstance(inhalt, bytes)) as datei:
        datei.write(inhalt)
    click.echo(sichtbar(f"Bericht geschrieben: {ausgabedatei}"), err=True)


__all__ = ['check']
