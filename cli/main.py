"""``kommunalpflichten``: Pflichten und Förderprogramme einer Kommune mit Rechtsgrundlage."""

from __future__ import annotations

import datetime as dt
import gc
import sys

import click

from cli.deutsch import aktiviere as _deutsch
from cli.kanal import AusgabeFehler, melde, standardausgabe
from engine.fehler import EingabeFehler, KommunalpflichtenFehler
from engine.zahlen import sichtbar

_deutsch()


class DatumTyp(click.ParamType):
    name = "TT.MM.JJJJ"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        from engine.datum import lies_datum

        try:
            return lies_datum(value)
        except ValueError as exc:
            self.fail(f"{exc}.", param, ctx)


class _DeutscheHilfe:
    """Die --help-Option mit deutschem Hilfetext; Platzhalter im Aufruf auf Deutsch."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[OPTIONEN]")
        if isinstance(self, click.Group):
            kwargs.setdefault("subcommand_metavar", "BEFEHL [ARGUMENTE]...")
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "Diese Hilfe zeigen und beenden."
        return option


class Befehl(_DeutscheHilfe, click.Command):
    pass


class Untergruppe(_DeutscheHilfe, click.Group):
    command_class = Befehl


class Gruppe(_DeutscheHilfe, click.Group):
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


CONTEXT = {"help_option_names": ["-h", "--help"]}


@click.group(cls=Gruppe, context_settings=CONTEXT)
@click.version_option(package_name="kommunalpflichten", message="kommunalpflichten %(version)s",
                      help="Version zeigen und beenden.")
def main() -> None:
    """Welche Pflichten im Bereich Migration und Integration hat eine Kommune, und welche Optionen gibt ihr das
    Landesrecht? Jede Antwort nennt die Norm mit Wortlaut und die verglichenen Zahlen."""


class MerkmalTyp(click.ParamType):
    """NAME=ja|nein|unbekannt (bei Anzahlen NAME=Zahl)."""

    name = "NAME=WERT"

    def convert(self, value, param, ctx):
        from engine.felder import MERKMALE
        from engine.kommunen.profil import merkmalswert

        if isinstance(value, tuple):
            return value
        name, gleich, wert = value.partition("=")
        name = name.strip()
        if not gleich:
            self.fail(f"„{value}“: erwartet NAME=WERT, z. B. integrationskonzept_vorhanden=ja.", param, ctx)
        if name not in MERKMALE:
            self.fail(f"unbekanntes Merkmal „{name}“; „kommunalpflichten merkmale“ listet alle.", param, ctx)
        try:
            return name, merkmalswert(MERKMALE[name], wert)
        except ValueError as exc:
            self.fail(str(exc) + ".", param, ctx)


@main.command()
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

    _kurzer_befehl()
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


FORMATE_BATCH = {"xlsx": "Excel-Arbeitsmappe (Ergebnisse und Zusammenfassung, AGS als Text, Filter)",
                 "csv": "CSV für deutsches Excel (Semikolon, UTF-8 mit BOM, deutsche Spaltennamen)",
                 "csv-international": "CSV mit Komma, ohne BOM, technische Spaltennamen (für Skripte)",
                 "jsonl": "eine Zeile je Kommune: das JSON-Dokument von check --format json"}


@main.command()
@click.option("--land", "laender", multiple=True, help="nur dieses Land (mehrfach möglich), z. B. --land HE")
@click.option("--typ", "typen", multiple=True, help="nur dieser Kommunaltyp (mehrfach möglich), z. B. --typ landkreis")
@click.option("--stichtag", type=DatumTyp(), default=None, help="Rechtsstand an diesem Tag, z. B. 01.06.2023 oder 2023-06-01 (Standard: heute).")
@click.option("--ausgabe", required=True, type=click.Path(dir_okay=False, path_type=str),
              help="Ergebnisdatei; wird erst geschrieben, wenn alles ausgewertet ist (nie halb)")
@click.option("--format", "format_", type=click.Choice(list(FORMATE_BATCH)), default=None,
              help="xlsx (Excel), csv (deutsches Excel), csv-international oder jsonl; Standard: nach der Endung der "
                   "Ausgabedatei")
@click.option("--merkmal", "merkmale", multiple=True, type=MerkmalTyp(),
              help="eine Tatsache für alle ausgewerteten Kommunen setzen: NAME=ja|nein|unbekannt (mehrfach möglich)")
@click.option("--prozesse", type=click.IntRange(min=1, max=64), default=None,
              help="so viele Prozesse (Standard: Zahl der Prozessorkerne, höchstens 8); das Ergebnis ist dasselbe")
@click.option("--ohne-zwischenspeicher", is_flag=True,
              help="jede Kommune einzeln durch durable-rules schicken (langsamer; zum Vergleich)")
@click.option("--szenario", "szenarien", multiple=True, type=click.Path(exists=True, file_okay=False, path_type=str),
              help="Entwürfe aus diesem Ordner über die Regeln legen (Szenario – kein geltendes Recht)")
@click.option("--karte", default=None, type=click.Path(dir_okay=False, path_type=str),
              help="dazu eine Karte je Kreis (.png oder .svg): Anteil der Kommunen, für die --karten-regel gilt")
@click.option("--karten-regel", default=None, help="Regel der Karte (Kennung); bei einem Land Standard: seine "
                                                   "Pflicht zu einem Integrationsgremium")
def batch(laender: tuple[str, ...], typen: tuple[str, ...], stichtag: dt.date | None, ausgabe: str,
          format_: str | None, merkmale: tuple, prozesse: int | None, ohne_zwischenspeicher: bool,
          szenarien: tuple[str, ...] = (), karte: str | None = None, karten_regel: str | None = None) -> None:
    """Alle (oder ausgewählte) Gemeinden und Kreise Deutschlands auswerten, mit Zusammenfassung je Land.

    \b
    Formate der Ergebnisdatei:
      xlsx               Excel-Arbeitsmappe: Blatt „Ergebnisse“ und „Zusammenfassung“
      csv                eine Zeile je Kommune und Regel, für deutsches Excel
      csv-international  dieselben Zeilen mit Komma und technischen Spaltennamen
      jsonl              eine Zeile je Kommune im JSON-Vertrag von check
    """
    import contextlib
    import os
    import time
    from pathlib import Path

    from engine.ausgabe.dateien import AtomareDatei, CsvFormat, JsonlFormat
    from engine.auswertung.massen import BLOCK, Zusammenfassung, bewerte_alle
    from engine.begriffe import KOMMUNALTYPEN, LAENDER
    from engine.kommunen.daten import LIZENZ, alle
    from engine.regeln.basis import lade_regelbasis
    from engine.zahlen import zahl

    gc.enable()
    for land in laender:
        if land.upper() not in LAENDER:
            raise click.BadParameter(f"unbekanntes Land „{land}“; erlaubt: {' '.join(LAENDER)}", param_hint="--land")
    for typ in typen:
        if typ not in KOMMUNALTYPEN:
            raise click.BadParameter(f"unbekannter Kommunaltyp „{typ}“; erlaubt: {', '.join(KOMMUNALTYPEN)}", param_hint="--typ")
    ziel = Path(ausgabe)
    if format_ is None:
        endung = ziel.suffix.lower()
        if endung not in (".xlsx", ".csv", ".jsonl"):
            raise click.BadParameter("die Ausgabe muss auf .xlsx, .csv oder .jsonl enden, oder das Format wird mit "
                                     "--format angegeben", param_hint="--ausgabe")
        format_ = endung[1:]
    stichtag = stichtag or dt.date.today()
    regelbasis = lade_regelbasis(szenario=[Path(p) for p in szenarien] or None)
    auswahl = [d for d in alle() if (not laender or d.land in {l.upper() for l in laender}) and (not typen or d.typ in typen)]
    if not auswahl:
        raise click.UsageError("Keine Kommune passt zu dieser Auswahl.")
    sammlung = _kartensammlung(regelbasis, karte, karten_regel, {l.upper() for l in laender}, stichtag)
    if format_ == "xlsx":
        from engine.ausgabe.massen_tabelle import XlsxFormat

        formatierer = XlsxFormat(regelbasis, stichtag)
    elif format_ == "jsonl":
        formatierer = JsonlFormat(regelbasis, stichtag)
    else:
        formatierer = CsvFormat(regelbasis, stichtag, deutsch=format_ == "csv")
    zusammenfassung = Zusammenfassung()
    prozesse = min(prozesse or min(os.cpu_count() or 1, 8), -(-len(auswahl) // BLOCK))  # je Prozess ≥ 1 Paket
    beginn = time.perf_counter()
    with AtomareDatei(ziel, binaer=format_ == "xlsx") as datei:
        datei.write(formatierer.kopf().encode() if format_ == "xlsx" else formatierer.kopf())
        zeilen = bewerte_alle(auswahl, stichtag, regelbasis, formatierer, merkmale, prozesse, not ohne_zwischenspeicher)
        # closing: bei Abbruch beendet der Generator seinen Prozess-Pool sofort, nicht erst beim Aufräumen am Ende
        # Fortschritt nur im Terminal: in einer Pipe oder einem Protokoll bliebe sonst ein nacktes „Kommunen“ stehen
        with contextlib.closing(zeilen), click.progressbar(length=len(auswahl), label="Kommunen", file=sys.stderr,
                                                           show_pos=True, hidden=not sys.stderr.isatty()) as fortschritt:
            def durchlauf():
                for d, (land, kurz, inhalt) in zip(auswahl, zeilen):  # in der Reihenfolge der Auswahl
                    zusammenfassung.erfasse(land, kurz)
                    if sammlung:
                        sammlung.erfasse(d, kurz)
                    fortschritt.update(1)
                    yield inhalt

            if format_ == "xlsx":
                datei.write(_batch_mappe(durchlauf(), zusammenfassung, regelbasis, stichtag, auswahl))
            else:
                for text in durchlauf():
                    datei.write(text)
    dauer = time.perf_counter() - beginn
    click.echo(sichtbar(f"{zahl(len(auswahl))} Kommunen ausgewertet in " + f"{dauer:.2f} s".replace(".", ",")
               + f" ({zahl(round(len(auswahl) / dauer))} je Sekunde, {prozesse} Prozess{'e' if prozesse > 1 else ''}), Rechtsstand "
               f"{stichtag:%d.%m.%Y}, Ergebnis: {ziel} ({FORMATE_BATCH[format_].split(' (')[0]})"))
    click.echo(sichtbar("\n".join(zusammenfassung.tabelle(regelbasis))))
    if sammlung:
        with AtomareDatei(Path(karte), binaer=True) as datei:
            datei.write(sammlung.bild(Path(karte).suffix.lower()[1:]))
        click.echo(sichtbar(f"Karte: {karte} ({sammlung.regel.titel}, {sammlung.regel.id})"))
    click.echo(f"Daten: {LIZENZ}.")


def _batch_mappe(inhalte, zusammenfassung, regelbasis, stichtag: dt.date, auswahl) -> bytes:
    """Die Arbeitsmappe von ``batch``: „Ergebnisse“ fließen durch, die „Zusammenfassung“ entsteht danach."""
    from engine.ausgabe.dateien import CSV_SPALTEN
    from engine.ausgabe.massen_tabelle import ZUSAMMENFASSUNG_SPALTEN, zusammenfassung_zeilen
    from engine.ausgabe.tabelle_xlsx import Tabelle, arbeitsmappe
    from engine.kommunen.daten import LIZENZ

    def zusammen():
        yield from zusammenfassung_zeilen(zusammenfassung, regelbasis)

    angaben = [("Rechtsstand", f"{stichtag:%d.%m.%Y}"), ("Kommunen", len(auswahl)),
               ("Regelbasis", regelbasis.fingerabdruck), ("Daten", LIZENZ),
               ("Hinweis", "Keine Rechtsberatung; „offen“: das Ergebnis hängt von einer Tatsache oder Zahl ab, die die "
                           "Daten nicht kennen.")]
    return arbeitsmappe([Tabelle("Ergebnisse", CSV_SPALTEN, (z for zeilen in inhalte for z in zeilen)),
                         Tabelle("Zusammenfassung", ZUSAMMENFASSUNG_SPALTEN, zusammen(), angaben)],
                        titel=f"Pflichten und Förderprogramme je Kommune, Rechtsstand {stichtag:%d.%m.%Y}",
                        betreff="kommunalpflichten batch")


def _kartensammlung(regelbasis, karte: str | None, regel_id: str | None, laender: set[str], stichtag: dt.date):
    """Für ``batch --karte``: Endung und Regel vor der Auswertung prüfen (ein Fehler kostet keine Minute)."""
    if karte is None:
        if regel_id is not None:
            raise click.BadParameter("--karten-regel wirkt nur mit --karte DATEI", param_hint="--karten-regel")
        return None
    from pathlib import Path

    from engine.ausgabe.regel_karte import Kartensammlung

    if Path(karte).suffix.lower() not in (".png", ".svg"):
        raise click.BadParameter("die Karte muss auf .png oder .svg enden", param_hint="--karte")
    from engine.ausgabe.dateien import pruefe_ziele

    pruefe_ziele([Path(karte)])  # ein unmöglicher Pfad jetzt, nicht nach der Auswertung
    try:
        return Kartensammlung.fuer(regelbasis, regel_id, laender, stichtag)
    except ValueError as fehler:
        raise click.BadParameter(str(fehler), param_hint="--karten-regel") from None


@main.command("web")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Adresse, an die der Server bindet; 0.0.0.0 macht ihn im Netz erreichbar (dann davor einen "
                   "Reverse-Proxy mit TLS setzen).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="TCP-Port")
@click.option("--regeln", "regelpfade", multiple=True, type=click.Path(exists=True, path_type=str),
              help="Andere Regeldateien oder -ordner statt der mitgelieferten (mehrfach möglich).")
@click.option("--verbindungen", type=click.IntRange(8, 10_000), default=None,
              help="höchstens so viele offene Verbindungen (Standard: nach der Grenze offener Dateien, höchstens "
                   "1.000); darüber weicht die älteste, die noch auf ihre Anfrage wartet")
def web_befehl(host: str, port: int, regelpfade: tuple[str, ...], verbindungen: int | None) -> None:
    """Webseite und JSON-API starten (Suche, Ergebnisseite mit offenen Fragen, Druckansicht, Regeln, Abdeckung;
    API unter /api/v1/, Beschreibung unter /api/v1/openapi.json). Strg-C beendet den Server."""
    from pathlib import Path

    try:
        from web.app import erstelle_app
        from web.server import binde, starte
    except ImportError as exc:  # pragma: no cover - Installation ohne Web-Abhängigkeiten
        raise click.ClickException(f"Für „web“ fehlen Pakete ({exc.name}); installieren Sie kommunalpflichten neu "
                                   "(pip install .).") from None
    gc.enable()  # ein Server lebt lange
    try:
        sock = binde(host, port)
    except (OSError, OverflowError) as exc:
        grund = getattr(exc, "strerror", None) or str(exc)
        raise click.ClickException(sichtbar(f"Der Server kann nicht an {host}:{port} binden: {grund}.")) from None
    app = erstelle_app([Path(p) for p in regelpfade] if regelpfade else None)
    anzeige = f"[{host}]" if ":" in host else host
    click.echo(sichtbar(f"kommunalpflichten: http://{anzeige}:{port}/ (API: /api/v1/, Strg-C beendet)"), err=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo("Achtung: der Server ist von anderen Rechnern erreichbar. Für den Betrieb einen Reverse-Proxy mit "
                   "TLS davorsetzen.", err=True)
    starte(app, sock, verbindungen)


@main.command("merkmale")
@click.option("--land", default=None, help="nur die Merkmale, nach denen die Regeln dieses Landes fragen (z. B. NW)")
def merkmale_befehl(land: str | None) -> None:
    """Die Merkmale (Tatsachen über eine Kommune), nach denen Regeln fragen – mit Frage und Normen."""
    _kurzer_befehl()
    from engine.begriffe import LAENDER
    from engine.felder import MERKMALE
    from engine.regeln.basis import lade_regelbasis
    from engine.regeln.logik import dnf

    if land is not None and land.upper() not in LAENDER:
        raise click.BadParameter(f"unbekanntes Land „{land}“; erlaubt: {' '.join(LAENDER)}", param_hint="--land")
    regelbasis = lade_regelbasis()
    normen: dict[str, set[str]] = {}
    for g in regelbasis.regeln.values():
        if land is not None and g.regel.land not in (land.upper(), "DE"):
            continue
        for v in g.regel.versionen:
            for konj in dnf(v.bedingung):
                for lit in konj:
                    if lit.feld in MERKMALE:
                        normen.setdefault(lit.feld, set()).add(f"{g.regel.land}: {v.zitat.norm}")
    zeilen = []
    for name, feld in MERKMALE.items():
        if land is not None and name not in normen:
            continue
        art = "ja | nein | unbekannt" if feld.art == "wahrheitswert" else "Zahl | unbekannt"
        zeilen += [f"{name} ({art})", f"  {feld.frage}"]
        if normen.get(name):
            zeilen.append(f"  gefragt von: {'; '.join(sorted(normen[name]))}")
    if not zeilen:
        raise click.UsageError("Die Regeln dieses Landes fragen nach keinem Merkmal.")
    zeilen.append("Setzen: check … --merkmal NAME=ja|nein|unbekannt, oder im Profil unter „merkmale:“; "
                  "nicht angegeben = unbekannt.")
    click.echo(sichtbar("\n".join(zeilen)))


@main.group(cls=Untergruppe, context_settings=CONTEXT)
def regeln() -> None:
    """Werkzeuge für alle, die Regeldateien schreiben und prüfen."""


def _pfade(pfade: tuple[str, ...]):
    from pathlib import Path

    return [Path(p) for p in pfade] if pfade else None


def _quelle(pfade: tuple[str, ...]):
    """Die Regeln, die ein Autorenwerkzeug benutzt – gemeldet auf stderr, damit niemand die falschen prüft."""
    from engine.regeln.quelle import regelquelle

    quelle = regelquelle(_pfade(pfade))
    click.echo(sichtbar(quelle.meldung()), err=True)
    return quelle


def _fortschritt(an: bool | None):
    """Fortschritt auf stderr: Standard nur im Terminal (nicht in CI-Protokollen oder Pipes)."""
    if an is None:
        an = sys.stderr.isatty()
    if not an:
        return None
    import time

    beginn = time.perf_counter()
    return lambda text: click.echo(sichtbar(f"  [{time.perf_counter() - beginn:5.1f} s] {text} …"), err=True)


@regeln.command("pruefen")
@click.argument("pfade", nargs=-1, type=click.Path(exists=True, path_type=str))
@click.option("--stichtag", type=DatumTyp(), default=None, help="Bis zu diesem Tag auf Lücken prüfen (Standard: heute).")
@click.option("--fortschritt/--ohne-fortschritt", default=None,
              help="Abschnitte mit Zeit auf stderr zeigen (Standard: nur im Terminal)")
@click.option("--szenario", "szenarien", multiple=True, type=click.Path(exists=True, file_okay=False, path_type=str),
              help="Entwürfe aus diesem Ordner über die Regeln legen und mitprüfen (z. B. rules/szenarien/…)")
def regeln_pruefen(pfade: tuple[str, ...], stichtag: dt.date | None, fortschritt: bool | None,
                   szenarien: tuple[str, ...]) -> None:
    """Regeldateien prüfen: Form, Verweise, Wortlaut ↔ Operator, Zeitachsen, Lücken, Überschneidungen, und ob
    durable-rules jeden Regelsatz annimmt.

    PFADE: Regelordner oder -dateien; ohne Angabe die Regeln des Arbeitsverzeichnisses (./rules in einem Checkout),
    sonst die mitgelieferten. Ausgabe: datei:zeile:spalte: schwere: meldung. Exit-Code 0 = sauber, 1 = Befunde,
    2 = Prüfung nicht möglich."""
    from engine.werkzeuge.pruefung import pruefe

    quelle = _quelle(pfade)
    from pathlib import Path

    bericht = pruefe(quelle.pfade, stichtag, _fortschritt(fortschritt), [Path(p) for p in szenarien] or None)
    for meldung in bericht.meldungen:
        click.echo(sichtbar(meldung.zeile()))
    fehler = len(bericht.fehler)
    warnungen = len(bericht.meldungen) - fehler
    click.echo(f"{bericht.geprueft} Regeldateien geprüft: {fehler} Fehler, {warnungen} Warnungen.", err=True)
    if bericht.meldungen:
        sys.exit(1)


@regeln.command("testen")
@click.argument("pfade", nargs=-1, type=click.Path(exists=True, path_type=str))
@click.option("--regeln", "regelpfade", multiple=True, type=click.Path(exists=True, path_type=str),
              help="gegen diese Regeln testen (Standard: die Regelbasis, zu der PFADE gehören)")
@click.option("--fortschritt/--ohne-fortschritt", default=None,
              help="je Testdatei eine Zeile auf stderr (Standard: nur im Terminal)")
def regeln_testen(pfade: tuple[str, ...], regelpfade: tuple[str, ...], fortschritt: bool | None) -> None:
    """Regeltests (<land>/tests/*.yaml) ausführen und Abweichungen auf Deutsch berichten.

    PFADE: Regelordner, Länderordner oder Testdateien. Getestet wird gegen die Regeln, zu denen sie gehören (bei
    …/rules/hessen die ganze Regelbasis …/rules); ohne Angabe die Regeln des Arbeitsverzeichnisses bzw. die
    mitgelieferten. Exit-Code 0 = alle bestanden, 1 = Abweichungen, 2 = Regeln oder Tests fehlerhaft."""
    from pathlib import Path

    from engine.auswertung.durable import auswerter_fuer
    from engine.regeln.basis import lade_regelbasis
    from engine.regeln.quelle import regelquelle_fuer_tests
    from engine.werkzeuge.regeltests import bericht_text, fuehre_aus, testdateien

    quelle = regelquelle_fuer_tests(_pfade(pfade), _pfade(regelpfade))
    click.echo(sichtbar(quelle.meldung()), err=True)
    regelbasis = lade_regelbasis(quelle.pfade)
    auswerter = auswerter_fuer(regelbasis)
    dateien = testdateien(_pfade(pfade) or quelle.pfade)
    if not dateien:
        raise click.UsageError("Keine Regeltests gefunden (erwartet: <land>/tests/*.yaml unter den Pfaden).")
    melde = _fortschritt(fortschritt)
    ergebnisse = []
    for i, d in enumerate(dateien, 1):
        if melde:
            melde(f"{i}/{len(dateien)} {d}")
        ergebnisse += fuehre_aus(Path(d), regelbasis, auswerter)
    click.echo(sichtbar(bericht_text(ergebnisse)))
    if not all(e.bestanden for e in ergebnisse):
        sys.exit(1)


@regeln.command("abdeckung")
@click.option("--stichtag", type=DatumTyp(), default=None, help="Stand an diesem Tag (Standard: heute).")
@click.option("--format", "ausgabeformat", type=click.Choice(["text", "markdown"]), default="text", show_default=True,
              help="text fürs Terminal, markdown für README und Berichte")
def regeln_abdeckung(stichtag: dt.date | None, ausgabeformat: str) -> None:
    """Land × Gegenstand: Zahl der Regeln, schwächster Prüfstatus und Kommunaltypen ohne Aussage; dazu je Land der
    Anteil aller Fassungen, deren Wortlaut amtlich oder verifiziert abgeglichen ist (Einzelheiten: regeln quellen).

    Exit-Code 0, wenn jedes Land zu jedem Gegenstand für jeden Kommunaltyp eine Aussage hat, sonst 1."""
    from engine.regeln.basis import lade_regelbasis
    from engine.werkzeuge.abdeckung import abdeckung, als_text, vollstaendig
    from engine.werkzeuge.quellen import quellenbericht

    tag = stichtag or dt.date.today()
    regelbasis = lade_regelbasis(_quelle(()).pfade)
    tabelle = abdeckung(regelbasis, tag)
    anteile = {land: f"{s.abgeglichen} von {s.fassungen} ({round(100 * s.anteil())} %)"
               for land, s in quellenbericht(regelbasis, tag).items() if s.fassungen}
    click.echo(sichtbar(als_text(tabelle, markdown=ausgabeformat == "markdown", abgeglichen=anteile)), nl=False)
    if not vollstaendig(tabelle):
        click.echo("Nicht jeder Kommunaltyp hat zu jedem Gegenstand eine Aussage (siehe „fehlt“).", err=True)
        sys.exit(1)


@regeln.command("quellen")
@click.argument("pfade", nargs=-1, type=click.Path(exists=True, path_type=str))
@click.option("--stichtag", type=DatumTyp(), default=None,
              help="Tag, von dem aus endende Förderphasen gezählt werden (Standard: heute).")
@click.option("--format", "ausgabeformat", type=click.Choice(["text", "markdown"]), default="text", show_default=True,
              help="text fürs Terminal, markdown für Berichte und Review-Kommentare")
@click.option("--nur-tabelle", is_flag=True, help="nur die Tabelle je Land, ohne die Einzelfälle")
def regeln_quellen(pfade: tuple[str, ...], stichtag: dt.date | None, ausgabeformat: str, nur_tabelle: bool) -> None:
    """Zitierfähigkeit je Land: Anteil der Fassungen mit abgeglichenem Wortlaut (amtlich/verifiziert), Pflichten und
    Gremienregeln ohne amtliche Fundstelle, primäre Links außerhalb amtlicher Portale, nicht ermittelte Normen,
    Förderprogramme, deren Phase in den nächsten 180 Tagen endet.

    PFADE: Regelordner wie bei „regeln pruefen“ (ohne Angabe die Regeln des Arbeitsverzeichnisses bzw. die
    mitgelieferten). Exit-Code 0, wenn jede Pflicht- und Gremienfassung ihre amtliche Fundstelle hat, sonst 1."""
    from engine.regeln.basis import lade_regelbasis
    from engine.werkzeuge.quellen import als_text, fehlende_fundstellen, quellenbericht

    heute = stichtag or dt.date.today()
    stand = quellenbericht(lade_regelbasis(_quelle(pfade).pfade), heute)
    click.echo(als_text(stand, heute, markdown=ausgabeformat == "markdown", details=not nur_tabelle), nl=False)
    fehlend = fehlende_fundstellen(stand)
    if fehlend:
        click.echo(f"{fehlend} Pflicht- oder Gremienfassungen ohne amtliche Fundstelle.", err=True)
        sys.exit(1)


@regeln.command("wirkung")
@click.argument("alt", required=False, default="HEAD")
@click.argument("neu", required=False, default=".")
@click.option("--land", "laender", multiple=True, help="nur dieses Land auswerten (mehrfach möglich), z. B. --land HE")
@click.option("--typ", "typen", multiple=True, help="nur dieser Kommunaltyp (mehrfach möglich), z. B. --typ landkreis")
@click.option("--stichtag", type=DatumTyp(), default=None, help="Rechtsstand an diesem Tag (Standard: heute).")
@click.option("--merkmal", "merkmale", multiple=True, type=MerkmalTyp(),
              help="eine Tatsache für alle Kommunen setzen, z. B. --merkmal integrationskonzept_beschlossen=ja")
@click.option("--format", "ausgabeformat", type=click.Choice(["text", "markdown", "json"]), default="text",
              show_default=True, help="Form der Ausgabe auf dem Terminal")
@click.option("--ausgabe", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="Bericht in diese Datei: .md (Markdown), .csv (Excel), .xlsx, .json – atomar geschrieben")
@click.option("--zeige", type=click.IntRange(min=0), default=30, show_default=True,
              help="höchstens so viele Kommunen je Gruppe im Text auflisten (Dateien enthalten alle)")
@click.option("--prozesse", type=click.IntRange(min=1, max=64), default=None,
              help="so viele Prozesse (Standard: Zahl der Kerne, höchstens 8; Ergebnis gleich)")
def regeln_wirkung(alt: str, neu: str, laender: tuple[str, ...], typen: tuple[str, ...], stichtag: dt.date | None,
                   merkmale: tuple, ausgabeformat: str, ausgabe: str | None, zeige: int, prozesse: int | None) -> None:
    """Was eine Änderung der Regeln bewirkt: erst die Regelunterschiede in Worten, dann je Regel und Art der Wirkung
    (NEU, ENTFÄLLT, STATUS alt → neu, HÖHE alt → neu) die Kommunen mit AGS und Zahlen, je Land und Größenklasse.

    \b
    ALT, NEU: je ein Regelordner (der Ordner mit den Länderordnern, oder ein Checkout mit rules/) oder eine
    Git-Revision dieses Repositoriums (HEAD, main, HEAD~1, ein Commit; gelesen mit git archive, nie ausgecheckt).
    Standard: HEAD gegen den Arbeitsbaum (.).
    Ausgewertet werden nur die Länder, deren Regeln sich ändern (eine Bundesregel: alle).
    Exit-Code 0 = ausgewertet (auch „keine Wirkung“), 1 = der neue Stand besteht „regeln pruefen“ nicht,
    2 = ein Stand lässt sich nicht lesen."""
    import os
    import time
    from pathlib import Path

    from engine.auswertung.massen import BLOCK
    from engine.auswertung.regelwirkung import auswahl, wirkung
    from engine.ausgabe.dateien import AtomareDatei
    from engine.ausgabe.regelwirkung_bericht import Wirkungsbericht, als_csv, als_json, als_text, als_xlsx
    from engine.begriffe import KOMMUNALTYPEN, LAENDER
    from engine.fehler import EingabeFehler
    from engine.kommunen.daten import alle
    from engine.regeln.basis import lade_regelbasis
    from engine.regeln.unterschied import betroffene_laender, unterschiede
    from engine.werkzeuge.pruefung import pruefe
    from engine.werkzeuge.regelstand import RegelstandFehler, oeffne

    gc.enable()
    gewaehlt = {land.upper() for land in laender}
    for land in gewaehlt:
        if land not in LAENDER:
            raise click.BadParameter(f"unbekanntes Land „{land}“; erlaubt: {' '.join(LAENDER)}", param_hint="--land")
    for typ in typen:
        if typ not in KOMMUNALTYPEN:
            raise click.BadParameter(f"unbekannter Kommunaltyp „{typ}“; erlaubt: {', '.join(KOMMUNALTYPEN)}",
                                     param_hint="--typ")
    endungen = {".md": "markdown", ".csv": "csv", ".xlsx": "xlsx", ".json": "json"}
    if ausgabe is not None and Path(ausgabe).suffix.lower() not in endungen:
        raise click.BadParameter("die Datei muss auf .md, .csv, .xlsx oder .json enden", param_hint="--ausgabe")
    stichtag = stichtag or dt.date.today()
    beginn = time.perf_counter()
    with oeffne(alt) as stand_alt, oeffne(neu) as stand_neu:
        click.echo(f"Regeln alt: {stand_alt.beschreibung}; neu: {stand_neu.beschreibung}", err=True)
        bericht_pruefung = pruefe([stand_neu.pfad], stichtag)
        if bericht_pruefung.fehler:
            for meldung in bericht_pruefung.fehler:
                zeile = meldung.zeile()
                if stand_neu.aus_git:  # Pfade im temporären Verzeichnis als „REVISION:rules/…“ zeigen
                    zeile = zeile.replace(str(stand_neu.pfad), f"{neu}:rules")
                click.echo(sichtbar(zeile))
            click.echo(f"Der neue Regelstand besteht „regeln pruefen“ nicht ({len(bericht_pruefung.fehler)} Fehler); "
                       "seine Wirkung wird nicht berechnet.", err=True)
            sys.exit(1)
        try:
            regelbasis_alt = lade_regelbasis([stand_alt.pfad])
        except EingabeFehler as fehler:
            raise RegelstandFehler(f"Der alte Regelstand ({stand_alt.beschreibung}) ist fehlerhaft und lässt sich nicht "
                                   f"auswerten:\n{fehler}") from None
        regelbasis_neu = bericht_pruefung.regelbasis
        aenderungen = unterschiede(regelbasis_alt, regelbasis_neu)
        zu_pruefen = betroffene_laender(aenderungen) & (gewaehlt or set(LAENDER))
        kommunen = auswahl(alle(), zu_pruefen, set(typen) or None)
        prozesse = min(prozesse or min(os.cpu_count() or 1, 8), -(-len(kommunen) // BLOCK)) if kommunen else 1
        if sys.stderr.isatty():  # Fortschritt nur im Terminal, nie als Rest in Protokollen
            with click.progressbar(length=len(kommunen), label="Kommunen", file=sys.stderr, show_pos=True) as balken:
                wirkungen = list(wirkung(regelbasis_alt, regelbasis_neu, kommunen, stichtag, merkmale, balken.update,
                                         prozesse))
        else:
            wirkungen = list(wirkung(regelbasis_alt, regelbasis_neu, kommunen, stichtag, merkmale, prozesse=prozesse))
        bericht = Wirkungsbericht(stand_alt.beschreibung, stand_neu.beschreibung, stichtag, regelbasis_alt,
                                  regelbasis_neu, aenderungen, sorted(zu_pruefen), len(kommunen), wirkungen,
                                  len(bericht_pruefung.meldungen) - len(bericht_pruefung.fehler),
                                  time.perf_counter() - beginn)
    if ausgabeformat == "json":
        click.echo(als_json(bericht), nl=False)
    else:
        click.echo(als_text(bericht, markdown=ausgabeformat == "markdown", zeige=zeige), nl=False)
    if ausgabe is not None:
        art = endungen[Path(ausgabe).suffix.lower()]
        inhalt = {"markdown": lambda: als_text(bericht, markdown=True, zeige=10**9), "csv": lambda: als_csv(bericht),
                  "json": lambda: als_json(bericht), "xlsx": lambda: als_xlsx(bericht)}[art]()
        with AtomareDatei(Path(ausgabe), binaer=art == "xlsx") as datei:
            datei.write(inhalt)
        click.echo(f"Bericht geschrieben: {sichtbar(ausgabe)}", err=True)
    dauer = f"{bericht.dauer:.1f}".replace(".", ",")
    click.echo(f"{len(aenderungen)} Regel(n) geändert, {len(wirkungen)} Wirkung(en) in {len(kommunen)} Kommunen, "
               f"{dauer} s.", err=True)


@regeln.command("schema")
def regeln_schema() -> None:
    """Das JSON Schema des Regelformats ausgeben (aus den pydantic-Modellen erzeugt)."""
    from engine.werkzeuge.schema import regelschema_text

    click.echo(regelschema_text(), nl=False)


@regeln.command("liste")
@click.option("--land", default=None, help="nur dieses Land (z. B. HE)")
@click.option("--gegenstand", default=None, help="nur dieser Gegenstand (z. B. integrationsgremium)")
def regeln_liste(land: str | None, gegenstand: str | None) -> None:
    """Regeln mit id, Verbindlichkeit, Geltung und Prüfstatus auflisten."""
    from engine.regeln.basis import lade_regelbasis

    regelbasis = lade_regelbasis(_quelle(()).pfade)
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
    click.echo(sichtbar("\n".join(zeilen)))


@regeln.command("zeigen")
@click.argument("regel_id")
def regeln_zeigen(regel_id: str) -> None:
    """Eine Regel als deutsche Prosa zeigen: wann sie gilt, Fassungen, Ausnahmen, Wortlaut mit Link."""
    from engine.ausgabe.prosa import regel_prosa
    from engine.regeln.basis import lade_regelbasis

    regelbasis = lade_regelbasis(_quelle(()).pfade)
    if regel_id not in regelbasis.regeln:
        aehnlich = [r for r in regelbasis.regeln if regel_id.split(".")[0] in r][:10]
        raise click.UsageError(f"Die Regel „{regel_id}“ gibt es nicht." + (f" Ähnlich: {', '.join(aehnlich)}" if aehnlich else ""))
    click.echo(sichtbar(regel_prosa(regelbasis.regel(regel_id), regelbasis)), nl=False)


_SCHNELL_BEENDEN = {"an": False}


def _kurzer_befehl() -> None:
    """Ein kurzer Befehl (``check``, ``merkmale``) endet ohne das Aufräumen des Interpreters (rund 60 ms: Module,
    Objekte, der C-Kern von durable-rules) – nur beim Aufruf als Programm (``start``), nie in Tests mit CliRunner."""
    _SCHNELL_BEENDEN["an"] = True


def start() -> None:
    """Einstieg des Programms ``kommunalpflichten``: wie ``main``; nach einem kurzen Befehl werden die Ausgaben
    geleert und der Prozess sofort beendet (``os._exit``) – mit demselben Exit-Code."""
    try:
        main(prog_name="kommunalpflichten")
        code: object = 0
    except SystemExit as ende:
        code = ende.code
    if not _SCHNELL_BEENDEN["an"]:
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


def _analysebefehle() -> None:
    """``vergleich`` und ``szenario`` stehen in ``cli/analyse.py`` (importiert erst hier, wenn ``main`` fertig ist)."""
    from cli.analyse import registriere

    registriere(main, Befehl, DatumTyp)


_analysebefehle()


if __name__ == "__main__":  # pragma: no cover
    start()

