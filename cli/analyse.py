"""Befehle für Analysen über die Zeit und für Reformszenarien: ``vergleich`` und ``szenario``.

Eigenes Modul, damit ``cli/main.py`` beim Einzelaufruf von ``check`` schlank bleibt; registriert am Ende von
``cli/main.py``."""

from __future__ import annotations

import datetime as dt

import click


def registriere(gruppe: click.Group, befehl: type[click.Command], datum_typ: type[click.ParamType]) -> None:
    """Die Befehle an die Gruppe hängen; Befehlsklasse und Datumstyp kommen aus ``cli/main.py`` (kein Kreisimport,
    auch nicht bei ``python -m cli.main``)."""
    for fabrik in (_vergleich, _szenario):
        gruppe.add_command(fabrik(befehl, datum_typ))


def _befehl(name: str, funktion, optionen: list, Befehl) -> click.Command:  # noqa: N803 - Klasse als Parameter
    """Wie die Dekoratoren ``@click.command`` und ``@click.option`` von oben nach unten."""
    for option in reversed(optionen):
        funktion = option(funktion)
    return click.command(name, cls=Befehl)(funktion)


def _vergleich(Befehl, DatumTyp) -> click.Command:  # noqa: N803
    return _befehl("vergleich", vergleich, _optionen_vergleich(DatumTyp), Befehl)


def _optionen_vergleich(DatumTyp) -> list:  # noqa: N803
    return [
        click.option("--von", required=True, type=DatumTyp(), help="früherer Rechtsstand, z. B. 01.06.2023"),
        click.option("--bis", required=True, type=DatumTyp(), help="späterer Rechtsstand, z. B. 01.06.2024"),
        click.option("--ags", default=None, help="nur diese Kommune (AGS wie bei check)"),
        click.option("--land", default=None, help="nur dieses Land, z. B. SL (ohne --ags und --land: ganz Deutschland)"),
        click.option("--zeige", type=click.IntRange(min=0), default=50, show_default=True,
                     help="höchstens so viele Kommunen je Gruppe auflisten"),
        click.option("--ausgabe", type=click.Path(dir_okay=False, path_type=str), default=None,
                     help="alle Änderungen in diese Datei: .xlsx (Excel-Arbeitsmappe mit Zusammenfassung) oder .csv "
                          "(Semikolon, UTF-8 mit BOM)"),
        click.option("--punktschaetzung", is_flag=True,
                     help="die geschätzten Zahlen ohne ihre Spanne nehmen: jede Kommune eindeutig drin oder draußen "
                          "(für Übersichten; die Spanne zeigt, wo das unsicher ist)"),
    ]


def vergleich(von: dt.date, bis: dt.date, ags: str | None, land: str | None, zeige: int, ausgabe: str | None,
              punktschaetzung: bool) -> None:
    """Was sich zwischen zwei Rechtsständen ändert: neue, entfallene und geänderte Pflichten und Förderungen je
    Kommune, mit der Norm, die sich geändert hat.

    Beide Tage werden mit denselben Zahlen ausgewertet (Schätzung für --bis), damit nur Änderungen des Rechts
    erscheinen, nicht die Fortschreibung der Einwohnerzahlen."""
    from engine.ausgabe.vergleich_text import Eintrag, text_kommune, text_uebersicht
    from engine.auswertung.durable import auswerter_fuer
    from engine.auswertung.vergleich import vergleiche_kommune
    from engine.begriffe import LAENDER
    from engine.kommunen.daten import alle
    from engine.regeln.basis import lade_regelbasis
    from engine.zahlen import zahl

    if von >= bis:
        raise click.BadParameter("--von muss vor --bis liegen.", param_hint="--von")
    if ags and land:
        raise click.UsageError("Bitte --ags oder --land angeben, nicht beides.")
    if ausgabe:
        from pathlib import Path

        from engine.ausgabe.dateien import pruefe_ziele

        pruefe_ziele([Path(ausgabe)])
    regelbasis = lade_regelbasis()
    auswerter = auswerter_fuer(regelbasis)
    if ags:
        from engine.kommunen.suche import finde_ags

        auswahl = [finde_ags(ags)]
    else:
        code = land.upper() if land else None
        if code is not None and code not in LAENDER:
            raise click.BadParameter(f"unbekanntes Land „{land}“; erlaubt: {' '.join(LAENDER)}", param_hint="--land")
        auswahl = [d for d in alle() if code is None or d.land == code]
    speicher: dict = {}
    eintraege = []
    for d in auswahl:
        kommune = d.profil(bis)
        if punktschaetzung:
            kommune = kommune.ersetzt(unsicherheit=None)
        eintraege.append(Eintrag(kommune, vergleiche_kommune(kommune, von, bis, regelbasis, auswerter, speicher)))
    click.echo(f"Vergleich des Rechtsstands {von:%d.%m.%Y} → {bis:%d.%m.%Y}; Zahlen an beiden Tagen dieselben "
               f"(Schätzung für den {bis:%d.%m.%Y}"
               f"{', Punktschätzung ohne Spanne' if punktschaetzung else ', mit Spanne: offen = an der Schwelle'}) – "
               "gezeigt werden nur Änderungen des Rechts.")
    if ags:
        zeilen = text_kommune(eintraege[0], von, bis)
    else:
        zeilen = text_uebersicht(eintraege, von, bis, zeige)
        betroffen = sum(1 for e in eintraege if any(a.art != "abdeckungsbeginn" for a in e.aenderungen))
        zeilen.append("")
        zeilen.append(f"Zusammen: {zahl(len(eintraege))} Kommunen verglichen, {zahl(betroffen)} mit Änderungen.")
    from engine.zahlen import sichtbar

    click.echo(sichtbar("\n".join(zeilen)))
    if ausgabe:
        from pathlib import Path

        from engine.ausgabe.dateien import AtomareDatei

        inhalt = _vergleich_datei(Path(ausgabe), eintraege, von, bis, punktschaetzung)
        with AtomareDatei(Path(ausgabe), binaer=isinstance(inhalt, bytes)) as datei:
            datei.write(inhalt)
        click.echo(sichtbar(f"Alle Änderungen: {ausgabe}"), err=True)


def _vergleich_datei(ziel, eintraege, von: dt.date, bis: dt.date, punktschaetzung: bool) -> str | bytes:
    """Die Änderungen als Excel-Arbeitsmappe (Endung .xlsx: Blatt „Änderungen“ und „Zusammenfassung“) oder CSV."""
    from engine.ausgabe.vergleich_text import SPALTEN, ZUSAMMENFASSUNG_SPALTEN, csv_zeilen, tabellenzeilen, \
        zusammenfassung

    if ziel.suffix.lower() == ".xlsx":
        from engine.ausgabe.tabelle_xlsx import Tabelle, arbeitsmappe
        from engine.kommunen.daten import LIZENZ

        angaben = [("Rechtsstand vorher", f"{von:%d.%m.%Y}"), ("Rechtsstand nachher", f"{bis:%d.%m.%Y}"),
                   ("Zahlen", f"an beiden Tagen dieselben (Schätzung für den {bis:%d.%m.%Y}"
                              + (", ohne Spanne)" if punktschaetzung else ", mit Spanne: offen = an der Schwelle)")),
                   ("Daten", LIZENZ), ("Hinweis", "Keine Rechtsberatung.")]
        return arbeitsmappe([Tabelle("Änderungen", SPALTEN, tabellenzeilen(eintraege)),
                             Tabelle("Zusammenfassung", ZUSAMMENFASSUNG_SPALTEN, zusammenfassung(eintraege), angaben)],
                            titel=f"Änderungen des Rechtsstands {von:%d.%m.%Y} → {bis:%d.%m.%Y}",
                            betreff="kommunalpflichten vergleich")
    import csv
    import io

    puffer = io.StringIO()
    csv.writer(puffer, delimiter=";", lineterminator="\r\n").writerows(csv_zeilen(eintraege))
    return "\ufeff" + puffer.getvalue()


def _szenario(Befehl, DatumTyp) -> click.Command:  # noqa: N803
    optionen = [
        click.argument("ordner", type=click.Path(exists=True, file_okay=False, path_type=str)),
        click.option("--land", "laender", multiple=True, help="nur dieses Land (mehrfach möglich), z. B. --land HE"),
        click.option("--stichtag", type=DatumTyp(), default=None,
                     help="Tag der Auswertung (Standard: Beginn des Szenarios)"),
        click.option("--ausgabe", type=click.Path(dir_okay=False, path_type=str), default=None,
                     help="Markdown-Bericht; daneben entstehen .csv, .png, .svg und die Karte _karte.png, _karte.svg "
                          "(Standard: szenario-<ordner>.md)"),
    ]
    return _befehl("szenario", szenario, optionen, Befehl)


def szenario(ordner: str, laender: tuple[str, ...], stichtag: dt.date | None, ausgabe: str | None) -> None:
    """Wirkung eines Reformszenarios: welche Kommunen neu verpflichtet würden – je Land, nach Größenklassen der
    Studie –, wie viele Einwohner das betrifft, Stellen und Kosten als Spanne (Konnexität), die offenen Fälle, eine
    CSV aller erfassten Kommunen, ein Diagramm je Land und eine Karte je Kreis (je PNG und SVG).

    ORDNER enthält Regeldateien mit entwurf: true (mitgeliefert: rules/szenarien/…). Szenario – kein geltendes Recht."""
    import csv
    import io
    from pathlib import Path

    from engine.ausgabe.dateien import pruefe_ziele, schreibe_gemeinsam
    from engine.ausgabe.szenario_bericht import HINWEIS, als_text_tabelle, csv_zeilen, diagramm, markdown_bericht, \
        zeilen_groessenklassen, zeilen_je_land
    from engine.auswertung.durable import auswerter_fuer
    from engine.ausgabe.szenario_karte import karten_bilder
    from engine.auswertung.szenario import beginn, szenario_regeln, wirkung
    from engine.begriffe import LAENDER
    from engine.kommunen.daten import alle
    from engine.kommunen.gebiete import namensnennung
    from engine.regeln.basis import lade_regelbasis
    from engine.zahlen import sichtbar

    codes = {l.upper() for l in laender}
    for code in codes:
        if code not in LAENDER:
            raise click.BadParameter(f"unbekanntes Land „{code}“; erlaubt: {' '.join(LAENDER)}", param_hint="--land")
    basis = lade_regelbasis()
    ueberlagert = lade_regelbasis(szenario=[Path(ordner)])
    regeln = szenario_regeln(ueberlagert)
    if not regeln:
        raise click.UsageError(f"In {ordner} steht keine Szenario-Regel (entwurf: true).")
    ziel = Path(ausgabe) if ausgabe else Path(f"szenario-{Path(ordner).resolve().name}.md")
    karte = ziel.with_name(ziel.stem + "_karte.png")
    pruefe_ziele([ziel.with_suffix(".png"), ziel.with_suffix(".svg"), karte, karte.with_suffix(".svg"),
                  ziel.with_suffix(".csv"), ziel])
    tag = stichtag or beginn(ueberlagert, basis)
    auswahl = [d for d in alle() if not codes or d.land in codes]
    ergebnis = wirkung(auswahl, tag, basis, ueberlagert, auswerter_fuer(basis), auswerter_fuer(ueberlagert))
    name = next((r.szenario.name for r in regeln if r.szenario), Path(ordner).name)
    bilder = diagramm(ergebnis, name)
    karten = karten_bilder(name, regeln, ergebnis, auswahl, tag)
    puffer = io.StringIO()
    csv.writer(puffer, delimiter=";", lineterminator="\r\n").writerows(csv_zeilen(ergebnis))
    bericht = markdown_bericht(name, regeln, ergebnis, tag, ziel.with_suffix(".png").name, ziel.with_suffix(".csv").name,
                               karte.name, namensnennung())
    schreibe_gemeinsam([(ziel.with_suffix(".png"), bilder["png"]), (ziel.with_suffix(".svg"), bilder["svg"]),
                        (karte, karten["png"]), (karte.with_suffix(".svg"), karten["svg"]),
                        (ziel.with_suffix(".csv"), "\ufeff" + puffer.getvalue()), (ziel, bericht)])
    click.echo(sichtbar(f"Szenario: {name} – {HINWEIS}. Stichtag {tag:%d.%m.%Y}."))
    click.echo(sichtbar("\n".join(als_text_tabelle(zeilen_je_land(ergebnis)))))
    click.echo("")
    click.echo(sichtbar("\n".join(als_text_tabelle(zeilen_groessenklassen(ergebnis)))))
    click.echo(sichtbar(f"\nBericht: {ziel}; Tabelle: {ziel.with_suffix('.csv')}; Diagramm: {ziel.with_suffix('.png')}, "
                        f"{ziel.with_suffix('.svg')}; Karte: {karte}, {karte.with_suffix('.svg')}"))
