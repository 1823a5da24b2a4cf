"""Der Bericht als Word-Dokument (DOCX) für eine Beschlussvorlage: dieselbe Gliederung wie das Markdown – Kopf,
„Auf einen Blick“, Übersichtstabelle, je Ergebnis Begründung, Rechtsgrundlage mit Link und Wortlaut, Fußzeile mit
Rechtsstand und Datenquelle. Wörtlicher Normtext steht in Anführungszeichen, eine Inhaltsangabe als „Sinngemäß“.

python-docx wird erst hier importiert: wer nur Text oder JSON braucht, zahlt nichts dafür.
"""

from __future__ import annotations

import io
import re

from engine.ausgabe.json_vertrag import beendet_text
from engine.ausgabe.text import fuss_text, kopf_zeilen
from engine.ausgabe.ueberblick import VERB_ERKLAERUNG, abgleich_text, betrag_text, datum, gegenstand_text, marke, \
    norm_vorbehalt_text, pruefstatus_text, \
    ueberblick_zeilen
from engine.auswertung.bericht import Bericht
from engine.begriffe import Status

# XML 1.0 verbietet Steuerzeichen; sie kämen aus Profilnamen oder Regeltexten und machten die Datei unlesbar
_STEUERZEICHEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def sauber(text: str) -> str:
    return _STEUERZEICHEN.sub("\ufffd", text)


def docx_bericht(bericht: Bericht) -> bytes:
    """Das Dokument als Bytes (zum Schreiben in eine Datei oder zum Herunterladen)."""
    from docx import Document
    from docx.shared import Pt

    dok = Document()
    stil = dok.styles["Normal"]
    stil.font.name, stil.font.size = "Arial", Pt(10.5)
    k = bericht.kommune
    dok.core_properties.title = sauber(f"Pflichten und Optionen: {k.name}")
    dok.core_properties.language = "de-DE"
    dok.add_heading(sauber(f"Pflichten und Optionen: {k.name}"), level=1)
    for z in _absaetze(kopf_zeilen(bericht, ausfuehrlich=True)):
        dok.add_paragraph(sauber(z), style="List Bullet")
    dok.add_heading("Auf einen Blick", level=2)
    for z in _absaetze(ueberblick_zeilen(bericht, breite=10_000)[1:]):
        dok.add_paragraph(sauber(z), style="List Bullet")
    dok.add_heading("Übersicht", level=2)
    tabelle = dok.add_table(rows=1, cols=4)
    tabelle.style = "Table Grid"
    for zelle, text in zip(tabelle.rows[0].cells, ("Verbindlichkeit", "Gegenstand", "Regelung", "Rechtsgrundlage")):
        zelle.paragraphs[0].add_run(text).bold = True
    for e in bericht.ergebnisse:
        zellen = tabelle.add_row().cells
        for zelle, text in zip(zellen, (marke(e), gegenstand_text(e.regel.gegenstand), e.regel.titel,
                                        e.version.zitat.norm)):
            zelle.text = sauber(text)
    for e in bericht.ergebnisse:
        _ergebnis(dok, e)
    if bericht.nicht_erfuellt:
        dok.add_heading("Voraussetzungen nicht erfüllt", level=2)
        for n in bericht.nicht_erfuellt:
            norm = n.regel.versionen[n.version_index].zitat.norm
            dok.add_paragraph(sauber(f"{n.regel.titel} ({norm}): " + "; ".join(n.begruendung + n.abstand)),
                              style="List Bullet")
    if bericht.beendete_programme:
        dok.add_heading("Beendete Förderphasen", level=2)
        for p in bericht.beendete_programme:
            dok.add_paragraph(sauber(f"{p.regel.titel}: {beendet_text(p)}"), style="List Bullet")
    if bericht.luecken:
        dok.add_heading("Nicht abgedeckt", level=2)
        dok.add_paragraph(sauber("Zu " + ", ".join(gegenstand_text(g) for g in bericht.luecken)
                                 + " enthält die Regelbasis für diese Kommune keine Regel."))
    fuss = dok.add_paragraph()
    fuss.add_run(sauber(fuss_text(bericht))).italic = True
    puffer = io.BytesIO()
    dok.save(puffer)
    return puffer.getvalue()


def _absaetze(zeilen: list[str]) -> list[str]:
    """Für das Terminal umbrochene Zeilen (Fortsetzung eingerückt) wieder zu Absätzen zusammenfügen."""
    absaetze: list[str] = []
    for z in zeilen:
        if z.startswith("  ") and absaetze:
            absaetze[-1] += " " + z.strip()
        else:
            absaetze.append(z.strip())
    return [a for a in absaetze if a]


def _ergebnis(dok, e) -> None:
    r, v, z = e.regel, e.version, e.version.zitat
    dok.add_heading(sauber(r.titel), level=2)
    p = dok.add_paragraph()
    p.add_run(sauber(marke(e))).bold = True
    if r.verbindlichkeit:
        p.add_run(f" ({VERB_ERKLAERUNG[r.verbindlichkeit]})")
    dok.add_paragraph(sauber(e.rechtsfolge))
    if e.foerderung is not None and r.foerderung is not None:
        f, a = r.foerderung, e.foerderung
        dok.add_paragraph(sauber(f"Programm: {f.programm} ({f.foerdergeber})"), style="List Bullet")
        dok.add_paragraph(sauber(f"Höhe: {betrag_text(e)} – {a.betrag.rechnung}"), style="List Bullet")
        if f.antragsfrist:
            naechste = f", nächste Frist {datum(a.naechste_frist)}" if a.naechste_frist else ""
            dok.add_paragraph(sauber(f"Antragsfrist: {f.antragsfrist}{naechste}"), style="List Bullet")
        dok.add_paragraph("Grundsätzlich förderfähig – nach Maßgabe des Haushalts, kein Rechtsanspruch.",
                          style="List Bullet")
    dok.add_paragraph().add_run("Begründung").bold = True
    if e.status == Status.unbestimmt:
        for f in e.offen:
            dok.add_paragraph(sauber(f"Offen: {f.text()} ({f.option})"), style="List Bullet")
    for b in e.begruendung:
        if not b.startswith("offen:"):
            dok.add_paragraph(sauber(b), style="List Bullet")
    if e.norm_vorbehalt:
        dok.add_paragraph(style="List Bullet").add_run(sauber(norm_vorbehalt_text(e))).bold = True
    for vb in e.vorbehalte:
        dok.add_paragraph(sauber(f"Vorbehalt – offen: {vb.frage} ({vb.option})"), style="List Bullet")
    for a in e.ausnahmen:
        dok.add_paragraph(sauber(f"Ausnahme {a.zitat.norm} ({a.titel}): {'greift' if a.greift else 'greift nicht'}"
                                 f" – {'; '.join(a.begruendung)}"), style="List Bullet")
    p = dok.add_paragraph()
    p.add_run("Rechtsgrundlage: ").bold = True
    _link(p, str(z.url), sauber(z.norm))
    p.add_run(sauber(f", {z.gesetz}" + (f", {z.amtliche_fundstelle}" if z.amtliche_fundstelle else "")))
    if z.wortlaut:
        zitat = dok.add_paragraph(style="Quote")
        zitat.add_run(sauber(f"„{z.wortlaut}“"))
    if z.inhalt:
        nach = f" (nach {z.quelle_inhalt})" if z.quelle_inhalt else ""
        dok.add_paragraph(sauber(f"Sinngemäß{nach}: {z.inhalt}"))
    bis = f" bis {datum(v.gueltig_bis)}" if v.gueltig_bis else ""
    abgleich = f" {abgleich_text(z)}." if abgleich_text(z) else ""
    dok.add_paragraph(sauber(f"Fassung seit {datum(v.gueltig_ab)}{bis}. Prüfstatus: {pruefstatus_text(e)}.{abgleich} "
                             f"Rechtsstand geprüft am {datum(r.stand)}. Quelle: {z.url}"))
    if r.abweichung_studie:
        p = dok.add_paragraph()
        p.add_run("Abweichung der Studie: ").italic = True
        p.add_run(sauber(r.abweichung_studie))


def _link(absatz, url: str, text: str) -> None:
    """Ein anklickbarer Link (python-docx hat dafür keine eigene Funktion)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rid = absatz.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    lauf = OxmlElement("w:r")
    eigenschaften = OxmlElement("w:rPr")
    for name, wert in (("w:color", "0563C1"), ("w:u", "single")):
        element = OxmlElement(name)
        element.set(qn("w:val"), wert)
        eigenschaften.append(element)
    lauf.append(eigenschaften)
    t = OxmlElement("w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    lauf.append(t)
    link.append(lauf)
    absatz._p.append(link)


__all__ = ["docx_bericht"]
