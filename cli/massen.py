"""``batch``: alle oder ausgewählte Kommunen auswerten – CSV, XLSX, JSONL, dazu eine Karte je Kreis."""

from __future__ import annotations

import datetime as dt
import gc
import sys

import click

from cli.typen import Befehl, DatumTyp, MerkmalTyp
from engine.zahlen import sichtbar


FORMATE_BATCH = {"xlsx": "Excel-Arbeitsmappe (Ergebnisse und Zusammenfassung, AGS als Text, Filter)",
                 "csv": "CSV für deutsches Excel (Semikolon, UTF-8 mit BOM, deutsche Spaltennamen)",
                 "csv-international": "CSV mit Komma, ohne BOM, technische Spaltennamen (für Skripte)",
                 "jsonl": "eine Zeile je Kommune: das JSON-Dokument von check --format json"}


@click.command(cls=Befehl)
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
    # Was bis hier geladen ist (Regelbasis, alle Datensätze), lebt bis zum Ende: die Speicherbereinigung durchsucht es
    # nicht mehr, und sie läuft seltener – je Kommune entstehen Dutzende kurzlebige Objekte (gemessen: 6–8 % von batch)
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
    prozesse = min(prozesse or min(os.cpu_count() or 1, 8), -(-len(auswahl) // BLOCK))  # je Prozess ≥ 1 Paket
    beginn = time.perf_counter()
    with AtomareDatei(ziel, binaer=format_ == "xlsx") as datei:
        datei.write(formatierer.kopf().encode() if format_ == "xlsx" else formatierer.kopf())
        # Text ohne Karte: je Arbeitspaket am Stück geschrieben und gezählt (der Hauptprozess teilt sich die Kerne
        # mit den Arbeitsprozessen); Arbeitsmappe und Karte brauchen jede Kommune einzeln
        je_paket = format_ != "xlsx" and not sammlung
        zeilen = bewerte_alle(auswahl, stichtag, regelbasis, formatierer, merkmale, prozesse, not ohne_zwischenspeicher,
                              je_paket=je_paket)
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

            if je_paket:
                for paket in zeilen:
                    for teil in paket.teile():
                        datei.write(teil)
                    zusammenfassung.nimm(paket.zusammenfassung)
                    fortschritt.update(paket.anzahl)
            elif format_ == "xlsx":
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


__all__ = ['batch', 'FORMATE_BATCH']
