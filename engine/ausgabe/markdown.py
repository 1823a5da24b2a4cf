"""Der Bericht als Markdown für Ratsvorlagen: Zusammenfassung, dann jedes Ergebnis mit Begründung und Wortlaut.

Wörtlicher Normtext steht als Zitat in Anführungszeichen, eine Inhaltsangabe ausdrücklich als „sinngemäß“ ohne.
"""

from __future__ import annotations

from engine.ausgabe.json_vertrag import beendet_text
from engine.ausgabe.text import fuss_text, kopf_zeilen
from engine.ausgabe.ueberblick import VERB_ERKLAERUNG, abgleich_text, betrag_text, datum, gegenstand_text, marke, \
    norm_vorbehalt_text, pruefstatus_text, \
    ueberblick_zeilen
from engine.auswertung.bericht import Bericht
from engine.begriffe import Status
from engine.zahlen import sichtbar


def md(text: str) -> str:
    """Text für eine Markdown-Zeile: Tabellen- und Formatzeichen maskiert, Zeilenumbrüche entfernt."""
    for zeichen in ("\\", "|", "*", "_", "`", "[", "]", "<", ">", "#"):
        text = text.replace(zeichen, "\\" + zeichen)
    return " ".join(text.split())


def markdown_bericht(bericht: Bericht, ausfuehrlich: bool = True) -> str:
    k = bericht.kommune
    zeilen = [f"# Pflichten und Optionen: {md(k.name)}", ""]
    zeilen += [f"- {md(z)}" for z in kopf_zeilen(bericht, ausfuehrlich=True)]
    zeilen += ["", "## Auf einen Blick", ""]
    zeilen += [f"- {md(z)}" for z in ueberblick_zeilen(bericht, breite=10_000)[1:]]
    if bericht.demnaechst:
        zeilen += ["", "## Demnächst", ""]
        for d in bericht.demnaechst:
            norm = f" ({md(d.norm)})" if d.norm and d.art == "rechtsaenderung" else ""
            zeilen.append(f"- **{datum(d.datum)}** – {md(d.text)}{norm}")
    zeilen += ["", "## Übersicht", "", "| Verbindlichkeit | Gegenstand | Regelung | Rechtsgrundlage |", "|---|---|---|---|"]
    for e in bericht.ergebnisse:
        zeilen.append(f"| {md(marke(e))} | {md(gegenstand_text(e.regel.gegenstand))} | {md(e.regel.titel)} | "
                      f"[{md(e.version.zitat.norm)}]({e.version.zitat.url}) |")
    for e in bericht.ergebnisse:
        r, v, z = e.regel, e.version, e.version.zitat
        zeilen += ["", f"## {md(r.titel)}", ""]
        erklaerung = f" ({VERB_ERKLAERUNG[r.verbindlichkeit]})" if r.verbindlichkeit else ""
        zeilen += [f"**{md(marke(e))}**{md(erklaerung)}", "", md(e.rechtsfolge), ""]
        if e.foerderung is not None and r.foerderung is not None:
            f, a = r.foerderung, e.foerderung
            zeilen.append(f"- Programm: {md(f.programm)} ({md(f.foerdergeber)})")
            zeilen.append(f"- Höhe: {md(betrag_text(e))} – {md(a.betrag.rechnung)}")
            if f.antragsfrist:
                naechste = f", nächste Frist {datum(a.naechste_frist)}" if a.naechste_frist else ""
                zeilen.append(f"- Antragsfrist: {md(f.antragsfrist)}{naechste}")
            zeilen += ["- Grundsätzlich förderfähig – nach Maßgabe des Haushalts, kein Rechtsanspruch.", ""]
        zeilen += ["**Begründung:**", ""]
        if e.status == Status.unbestimmt:
            zeilen += [f"- Offen: {md(f.text())} (`{f.option}`)" for f in e.offen]
        zeilen += [f"- {md(b)}" for b in e.begruendung if not b.startswith("offen:")]
        if e.norm_vorbehalt:
            zeilen.append(f"- **{md(norm_vorbehalt_text(e))}**")
        for vb in e.vorbehalte:
            zeilen.append(f"- Vorbehalt – offen: {md(vb.frage)} (`{vb.option}`)")
        for a in e.ausnahmen:
            zeilen.append(f"- Ausnahme {md(a.zitat.norm)} ({md(a.titel)}): {'**greift**' if a.greift else 'greift nicht'}"
                          f" – {md('; '.join(a.begruendung))}")
        fundstelle = f", {md(z.amtliche_fundstelle)}" if z.amtliche_fundstelle else ""
        zeilen += ["", f"**Rechtsgrundlage:** [{md(z.norm)}]({z.url}), {md(z.gesetz)}{fundstelle}", ""]
        if z.wortlaut:
            zeilen += [f"> „{md(z.wortlaut)}“", ""]
        if z.inhalt:
            nach = f" (nach {md(z.quelle_inhalt)})" if z.quelle_inhalt else ""
            zeilen += [f"Sinngemäß{nach}: {md(z.inhalt)}", ""]
        bis = f" bis {datum(v.gueltig_bis)}" if v.gueltig_bis else ""
        abgleich = f" {md(abgleich_text(z))}." if abgleich_text(z) else ""
        zeilen.append(f"Fassung seit {datum(v.gueltig_ab)}{bis}. Prüfstatus: {md(pruefstatus_text(e))}.{abgleich} "
                      f"Rechtsstand geprüft am {datum(r.stand)}.")
        if r.abweichung_studie:
            zeilen += ["", f"*Abweichung der Studie:* {md(r.abweichung_studie)}"]
    if bericht.nicht_erfuellt:
        zeilen += ["", "## Voraussetzungen nicht erfüllt", ""]
        for n in bericht.nicht_erfuellt:
            norm = n.regel.versionen[n.version_index].zitat.norm
            zeilen.append(f"- {md(n.regel.titel)} ({md(norm)}): " + md("; ".join(n.begruendung + n.abstand)))
    if bericht.beendete_programme:
        zeilen += ["", "## Beendete Förderphasen", ""]
        zeilen += [f"- {md(p.regel.titel)}: {md(beendet_text(p))}" for p in bericht.beendete_programme]
    if bericht.luecken:
        zeilen += ["", "## Nicht abgedeckt", "",
                   "Zu " + md(", ".join(gegenstand_text(g) for g in bericht.luecken)) +
                   " enthält die Regelbasis für diese Kommune keine Regel."]
    zeilen += ["", "---", f"*{md(fuss_text(bericht))}*", ""]
    return sichtbar("\n".join(zeilen))


__all__ = ["markdown_bericht", "md"]
