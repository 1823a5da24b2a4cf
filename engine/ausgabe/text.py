"""Berichte als deutscher Text (Terminal) und als Markdown (für Ratsvorlagen)."""

from __future__ import annotations

import textwrap

from engine.auswertung.bericht import Bericht, Ergebnis
from engine.zahlen import prozent, zahl
from engine.begriffe import AUFGABENTYPEN, KOMMUNALTYPEN, LAENDER, PRUEFSTATUS_TEXT, Art, Status, Verbindlichkeit
from engine.felder import anteil

BREITE = 100

VERB_TEXT = {
    Verbindlichkeit.muss: "MUSS",
    Verbindlichkeit.soll: "SOLL",
    Verbindlichkeit.kann: "KANN",
}
VERB_ERKLAERUNG = {
    Verbindlichkeit.muss: "Pflicht",
    Verbindlichkeit.soll: "Soll-Vorschrift: im Regelfall verpflichtend, Abweichung nur in atypischen Fällen mit Begründung",
    Verbindlichkeit.kann: "Option (Ermessen), keine Pflicht",
}
STATUS_TEXT = {
    Status.gilt: "gilt",
    Status.entfaellt: "entfällt (durch Ausnahme verdrängt)",
    Status.unbestimmt: "UNBESTIMMT (die Spanne der Zahlen überdeckt eine Schwelle)",
}


def _datum(d) -> str:
    return d.strftime("%d.%m.%Y")


def _kopf(bericht: Bericht) -> list[str]:
    k = bericht.kommune
    ags = f" – AGS {k.ags}" if k.ags else ""
    kreis = f", {k.kreis}" if k.kreis else ""
    zeilen = [
        f"{k.name} ({KOMMUNALTYPEN[k.typ].bezeichnung}{kreis}, {LAENDER[k.land].name}){ags}",
        f"Rechtsstand (Stichtag): {_datum(bericht.stichtag)}",
        f"Zahlen: {zahl(k.einwohner)} Einwohner, {zahl(k.auslaendische_einwohner)} ausländische Einwohner "
        f"(Ausländeranteil {prozent(anteil(k.auslaendische_einwohner, k.einwohner))})",
    ]
    if k.unsicherheit is not None:
        spannen = []
        for feld, name in (("einwohner", "Einwohner"), ("auslaendische_einwohner", "ausländische Einwohner")):
            von, bis = k.spanne(feld)
            if von != bis:
                spannen.append(f"{name} {zahl(von)} bis {zahl(bis)}")
        if spannen:
            zeilen.append(f"Spannen: {'; '.join(spannen)} – {k.unsicherheit.grund}")
    if k.typ_herleitung:
        zeilen.append(f"Kommunaltyp: {k.typ_herleitung}")
    if k.quelle:
        zeilen.append(f"Quelle der Zahlen: {k.quelle}")
    if k.merkmale:
        zeilen.append("Angegebene Merkmale: " + ", ".join(f"{n} = {_wert(w)}" for n, w in k.merkmale.items()))
    return zeilen


def _wert(w) -> str:
    if isinstance(w, bool):
        return "ja" if w else "nein"
    return zahl(w) if isinstance(w, int) else str(w)


def _umbruch(text: str, einzug: str, folge: str | None = None) -> list[str]:
    return textwrap.wrap(text, BREITE, initial_indent=einzug, subsequent_indent=folge or einzug) or [einzug.rstrip()]


def text_bericht(bericht: Bericht) -> str:
    zeilen = _kopf(bericht)
    gruppen = _gruppen(bericht)
    for titel, ergebnisse in gruppen:
        zeilen += ["", titel, "=" * len(titel)]
        if not ergebnisse:
            zeilen.append("  (keine)")
        for e in ergebnisse:
            zeilen += [""] + _text_ergebnis(e)
    if bericht.nicht_erfuellt:
        titel = "PFLICHTEN DES LANDES, DEREN VORAUSSETZUNGEN NICHT ERFÜLLT SIND"
        zeilen += ["", titel, "=" * len(titel)]
        for n in bericht.nicht_erfuellt:
            norm = n.regel.versionen[n.version_index].zitat.norm
            zeilen += _umbruch(f"– {n.regel.titel} ({norm}): " + "; ".join(n.begruendung), "  ", "    ")
            for a in n.abstand:
                zeilen += _umbruch(f"→ {a}", "    ", "      ")
    for gegenstand in bericht.gegenstaende_ohne_ergebnis:
        zeilen += ["", f"ACHTUNG: Zum Gegenstand „{gegenstand}“ trifft die Regelbasis für diese Kommune keine Aussage."]
    zeilen += ["", f"Regelbasis {bericht.regelbasis.fingerabdruck}; Auswertung mit durable-rules. Keine Rechtsberatung."]
    return "\n".join(zeilen) + "\n"


def _gruppen(bericht: Bericht) -> list[tuple[str, list[Ergebnis]]]:
    pflichten = [e for e in bericht.ergebnisse if e.regel.art == Art.pflicht]
    foerderung = [e for e in bericht.ergebnisse if e.regel.art == Art.foerderung]
    rest = [e for e in bericht.ergebnisse if e.regel.art == Art.hinweis]
    gruppen = [("PFLICHTEN UND SOLL-VORSCHRIFTEN", pflichten)]
    if foerderung or any(r.art == Art.foerderung for r in bericht.regelbasis.fuer_land(bericht.kommune.land)):
        gruppen.append(("FÖRDERPROGRAMME DES LANDES (GRUNDSÄTZLICH FÖRDERFÄHIG)", foerderung))
    gruppen.append(("OPTIONEN UND HINWEISE", rest))
    return gruppen


def _foerder_zeilen(e: Ergebnis) -> list[str]:
    f, a = e.regel.foerderung, e.foerderung
    if f is None or a is None:
        return []
    z = _umbruch(f"Programm: {f.programm} – Fördergeber: {f.foerdergeber}", "  ", "    ")
    if f.bewilligungsbehoerde:
        z += _umbruch(f"Bewilligungsbehörde: {f.bewilligungsbehoerde}", "  ", "    ")
    if a.betrag.hoechstbetrag is not None:
        z += _umbruch(f"Höchstbetrag: bis zu {zahl(a.betrag.hoechstbetrag)} € {a.betrag.bezug} ({a.betrag.rechnung})", "  ", "    ")
    else:
        z += _umbruch(f"Förderhöhe: {a.betrag.rechnung}", "  ", "    ")
    if f.antragsfrist:
        naechste = f" – nächste Frist: {_datum(a.naechste_frist)}" if a.naechste_frist else ""
        z += _umbruch(f"Antragsfrist: {f.antragsfrist}{naechste}", "  ", "    ")
    if f.foerderzeitraum:
        z += _umbruch(f"Förderzeitraum: {f.foerderzeitraum}", "  ", "    ")
    for v in f.voraussetzungen:
        z += _umbruch(f"Voraussetzung: {v}", "  ", "    ")
    if f.haushaltsvorbehalt:
        z.append("  Grundsätzlich förderfähig – Förderung nach Maßgabe des Haushalts, kein Rechtsanspruch.")
    if a.laeuft_aus:
        z.append(f"  ACHTUNG: Diese Programmfassung läuft am {_datum(a.laeuft_aus)} aus.")
    return z


def _text_ergebnis(e: Ergebnis) -> list[str]:
    r, v = e.regel, e.version
    z = v.zitat
    kopf = {Art.foerderung: "FÖRDERFÄHIG", Art.hinweis: "HINWEIS"}.get(r.art, VERB_TEXT.get(r.verbindlichkeit))
    if r.art == Art.hinweis and r.verbindlichkeit == Verbindlichkeit.kann:
        kopf = "KANN"
    zeilen = _umbruch(f"■ {kopf} – {STATUS_TEXT[e.status]}: {r.titel}", "", "  ")
    if r.verbindlichkeit is not None:
        zeilen += _umbruch(f"Art: {r.art.value}, {VERB_ERKLAERUNG[r.verbindlichkeit]}; Gegenstand: {r.gegenstand}", "  ", "    ")
    zeilen += _umbruch(f"Rechtsfolge: {e.rechtsfolge}", "  ", "    ")
    if r.aufgabentyp:
        zeilen.append(f"  Aufgabentyp: {AUFGABENTYPEN[r.aufgabentyp]}")
    zeilen += _foerder_zeilen(e)
    zeilen.append("  Warum:" if e.status != Status.unbestimmt else "  Warum unbestimmt:")
    for b in e.begruendung:
        zeilen += _umbruch(f"{'?' if e.status == Status.unbestimmt else '✓'} {b}", "    ", "      ")
    if e.ausnahmen:
        zeilen.append("  Ausnahmen geprüft:")
        for a in e.ausnahmen:
            kopf = "GREIFT" if a.greift else "greift nicht"
            zeilen += _umbruch(f"{'✗' if a.greift else '–'} {kopf}: {a.titel} ({a.zitat.norm}): " + "; ".join(a.begruendung), "    ", "      ")
            if a.greift:
                zeilen += _umbruch(zitat_text(a.zitat), "      ", "       ")
    bis = f" bis {_datum(v.gueltig_bis)}" if v.gueltig_bis else ""
    zeilen.append(f"  In Kraft: seit {_datum(v.gueltig_ab)}{bis} (diese Fassung)")
    zeilen += _umbruch(f"Rechtsgrundlage: {z.norm} – {z.gesetz}", "  ", "    ")
    zeilen += _umbruch(zitat_text(z), "    ", "     ")
    zeilen.append(f"    {z.url}")
    zeilen += _umbruch(f"Prüfstatus: {PRUEFSTATUS_TEXT[z.pruefstatus]}" + (f" – {z.pruefhinweis}" if z.pruefhinweis else ""), "    ", "      ")
    hinweis = v.hinweis or r.hinweis
    if hinweis:
        zeilen += _umbruch(f"Hinweis: {hinweis}", "  ", "    ")
    if r.abweichung_studie:
        zeilen += _umbruch(f"Abweichung der Studie: {r.abweichung_studie}", "  ", "    ")
    return zeilen


def zitat_text(z) -> str:
    """Wörtlicher Normtext in Anführungszeichen; eine Inhaltsangabe ohne, ausdrücklich als „sinngemäß“ gekennzeichnet."""
    teile = []
    if z.wortlaut:
        teile.append(f"„{z.wortlaut}“")
    if z.inhalt:
        nach = f" (nach {z.quelle_inhalt})" if z.quelle_inhalt else ""
        teile.append(f"Sinngemäß{nach}: {z.inhalt}")
    return " – ".join(teile)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _verb_kurz(r) -> str:
    return r.verbindlichkeit.value if r.verbindlichkeit else "Hinweis"


def markdown_bericht(bericht: Bericht) -> str:
    k = bericht.kommune
    zeilen = [f"# Pflichten und Optionen: {k.name}", ""]
    zeilen += [f"- {z}" for z in _kopf(bericht)[1:]]
    zeilen += ["", "## Übersicht", "", "| Verbindlichkeit | Status | Gegenstand | Regelung | Rechtsgrundlage |", "|---|---|---|---|---|"]
    for e in bericht.ergebnisse:
        zeilen.append(
            f"| {_verb_kurz(e.regel)} | {STATUS_TEXT[e.status]} | {e.regel.gegenstand} | "
            f"{_md(e.regel.titel)} | [{_md(e.version.zitat.norm)}]({e.version.zitat.url}) |"
        )
    for e in bericht.ergebnisse:
        r, v, z = e.regel, e.version, e.version.zitat
        zeilen += ["", f"## {r.titel}", ""]
        erklaerung = f" ({VERB_ERKLAERUNG[r.verbindlichkeit]})" if r.verbindlichkeit else ""
        zeilen.append(f"**{_verb_kurz(r)}**{erklaerung}, Status: **{STATUS_TEXT[e.status]}**.")
        zeilen += ["", f"{e.rechtsfolge}", ""]
        foerder = [z.strip() for z in _foerder_zeilen(e)]
        if foerder:
            zeilen += [f"- {z}" for z in foerder] + [""]
        zeilen += ["**Begründung:**", ""]
        zeilen += [f"- {b}" for b in e.begruendung]
        for a in e.ausnahmen:
            zeilen.append(f"- Ausnahme {a.zitat.norm} ({a.titel}): {'**greift**' if a.greift else 'greift nicht'} – " + "; ".join(a.begruendung))
        zeilen += ["", f"**Rechtsgrundlage:** [{z.norm}]({z.url}), {z.gesetz}", ""]
        if z.wortlaut:
            zeilen += [f"> „{z.wortlaut}“", ""]
        if z.inhalt:
            nach = f" (nach {z.quelle_inhalt})" if z.quelle_inhalt else ""
            zeilen += [f"Sinngemäß{nach}: {z.inhalt}", ""]
        zeilen.append(f"In Kraft seit {_datum(v.gueltig_ab)}. Prüfstatus: {PRUEFSTATUS_TEXT[z.pruefstatus]}.")
        if r.abweichung_studie:
            zeilen += ["", f"*Abweichung der Studie:* {r.abweichung_studie}"]
    if bericht.nicht_erfuellt:
        zeilen += ["", "## Pflichten des Landes, deren Voraussetzungen nicht erfüllt sind", ""]
        for n in bericht.nicht_erfuellt:
            norm = n.regel.versionen[n.version_index].zitat.norm
            zeilen.append(f"- {n.regel.titel} ({norm}): " + "; ".join(n.begruendung + n.abstand))
    zeilen += ["", "---", f"*Erstellt mit kommunalpflichten, Regelbasis {bericht.regelbasis.fingerabdruck}. Keine Rechtsberatung.*", ""]
    return "\n".join(zeilen)
