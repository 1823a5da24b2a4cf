"""``regeln …``: Werkzeuge für alle, die Regeldateien schreiben und prüfen."""

from __future__ import annotations

import datetime as dt
import gc
import sys

import click

from cli.typen import CONTEXT, DatumTyp, MerkmalTyp, Untergruppe
from engine.zahlen import sichtbar


@click.group(cls=Untergruppe, context_settings=CONTEXT)
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
              help="eine Tatsache für alle Kommunen setzen, z. B. --merkmal integrationskonzept_vorhanden=ja")
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


__all__ = ['regeln']
