"""Der Bericht als Word-Dokument (DOCX) – eine Anlage zur Beschlussvorlage: die Blöcke des Dokuments
(``dokument.bloecke``, dieselben wie im Markdown) auf A4 mit Rändern, Kopfzeile (Kommune, Rechtsstand), „Seite X von
Y“, deutscher Sprache und Metadaten, Tabellen mit festen Spaltenbreiten und Überschriften, die nie allein am
Seitenende stehen.

python-docx wird erst hier importiert: wer nur Text oder JSON braucht, zahlt nichts dafür.
"""

from __future__ import annotations

import datetime as dt
import io
import re

from engine.ausgabe.aufbau import baue
from engine.ausgabe.dokument import SATZSPIEGEL_CM, Block, Teil, bloecke
from engine.ausgabe.modell import Berichtsmodell
from engine.ausgabe.ueberblick import datum
from engine.auswertung.bericht import Bericht

# XML 1.0 verbietet Steuerzeichen; sie kämen aus Profilnamen oder Regeltexten und machten die Datei unlesbar
_STEUERZEICHEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
SPRACHE = "de-DE"
SCHRIFT = "Arial"


def sauber(text: str) -> str:
    return _STEUERZEICHEN.sub("\ufffd", text)


def docx_bericht(bericht: Bericht, ausfuehrlich: bool = False, erstellt: dt.datetime | None = None) -> bytes:
    """Das Dokument als Bytes (zum Schreiben in eine Datei oder zum Herunterladen)."""
    from docx import Document

    m = baue(bericht)
    dok = Document()
    _seite(dok, m)
    _stile(dok)
    _metadaten(dok, m, erstellt or dt.datetime.now().replace(microsecond=0))
    for block in bloecke(m, ausfuehrlich):
        _setze(dok, block)
    puffer = io.BytesIO()
    dok.save(puffer)
    return puffer.getvalue()


def _seite(dok, m: Berichtsmodell) -> None:
    """A4 hoch, Ränder 2,5 cm (unten 2 cm), Kopfzeile mit Kommune und Rechtsstand, Fußzeile „Seite X von Y“."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    s = dok.sections[0]
    s.page_width, s.page_height = Cm(21.0), Cm(29.7)
    s.left_margin = s.right_margin = s.top_margin = Cm(2.5)
    s.bottom_margin = Cm(2.0)
    s.header_distance = s.footer_distance = Cm(1.2)
    kopf = s.header.paragraphs[0]
    kopf.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    lauf = kopf.add_run(sauber(f"{m.kopf.name} – Pflichten und Förderprogramme · Rechtsstand {datum(m.stichtag)}"))
    lauf.font.size, lauf.font.color.rgb = Pt(8.5), RGBColor(0x55, 0x55, 0x55)
    fuss = s.footer.paragraphs[0]
    fuss.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for teil in ("Seite ", "PAGE", " von ", "NUMPAGES"):
        if teil.isupper():
            _feld(fuss, teil)
        else:
            fuss.add_run(teil).font.size = Pt(8.5)


def _feld(absatz, name: str) -> None:
    """Ein Feld (PAGE, NUMPAGES), das Word und LibreOffice beim Anzeigen ausrechnen."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    for art, text in (("begin", None), (None, f" {name} "), ("separate", None), (None, "1"), ("end", None)):
        lauf = absatz.add_run()
        lauf.font.size = Pt(8.5)
        if art:
            zeichen = OxmlElement("w:fldChar")
            zeichen.set(qn("w:fldCharType"), art)
            lauf._r.append(zeichen)
        elif text.strip() == name:
            anweisung = OxmlElement("w:instrText")
            anweisung.set(qn("xml:space"), "preserve")
            anweisung.text = text
            lauf._r.append(anweisung)
        else:
            lauf.text = text


def _stile(dok) -> None:
    """Deutsch als Sprache (Silbentrennung, Rechtschreibprüfung), eine Schrift, Überschriften an ihrem Text."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    standard = dok.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    sprache = standard.find(qn("w:lang"))
    if sprache is None:
        sprache = OxmlElement("w:lang")
        standard.append(sprache)
    sprache.set(qn("w:val"), SPRACHE)
    sprache.set(qn("w:eastAsia"), SPRACHE)
    normal = dok.styles["Normal"]
    normal.font.name, normal.font.size = SCHRIFT, Pt(10.5)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.1
    for name, groesse in (("Heading 1", 16), ("Heading 2", 13), ("Heading 3", 11)):
        stil = dok.styles[name]
        stil.font.name, stil.font.size, stil.font.color.rgb = SCHRIFT, Pt(groesse), RGBColor(0x0B, 0x3D, 0x6B)
        stil.paragraph_format.keep_with_next = True
        stil.paragraph_format.space_before, stil.paragraph_format.space_after = Pt(groesse * 0.9), Pt(3)
    for name in ("List Bullet", "Quote"):
        dok.styles[name].font.name = SCHRIFT
    silbentrennung = OxmlElement("w:autoHyphenation")  # Word trennt deutsche Komposita statt sie zu zerreißen
    dok.settings.element.append(silbentrennung)
    dok.styles["Quote"].paragraph_format.keep_together = True


def _metadaten(dok, m: Berichtsmodell, erstellt: dt.datetime) -> None:
    p = dok.core_properties
    p.author = p.last_modified_by = "kommunalpflichten"
    p.title = sauber(f"Pflichten und Optionen: {m.kopf.name}")
    p.subject = sauber(f"Pflichten und Förderprogramme in Migration und Integration – {m.kopf.beschreibung}, "
                       f"Rechtsstand {datum(m.stichtag)}")
    p.keywords = sauber(f"Migration; Integration; {m.kopf.land}; Rechtsstand {datum(m.stichtag)}")
    p.comments = "Keine Rechtsberatung; maßgeblich ist der amtliche Normtext."
    p.language = SPRACHE
    p.created = p.modified = erstellt
    p.revision = 1


def _setze(dok, b: Block) -> None:
    from docx.shared import Pt, RGBColor

    if b.art in ("titel", "ueberschrift"):
        dok.add_heading(sauber(b.text), level=b.ebene)
    elif b.art == "liste":
        for punkt in b.punkte:
            _laeufe(dok.add_paragraph(style="List Bullet"), punkt)
    elif b.art == "zitat":
        _laeufe(dok.add_paragraph(style="Quote"), b.teile)
    elif b.art == "tabelle":
        _tabelle(dok, b)
    elif b.art == "klein":
        absatz = dok.add_paragraph()
        for lauf in _laeufe(absatz, b.teile):
            lauf.font.size, lauf.font.color.rgb = Pt(8.5), RGBColor(0x44, 0x44, 0x44)
    else:
        absatz = dok.add_paragraph()
        _laeufe(absatz, b.teile)
        if b.teile and b.teile[0].fett and b.teile[0].text.isupper():  # Marke unter der Überschrift einer Karte
            absatz.paragraph_format.keep_with_next = True


def _laeufe(absatz, teile: list[Teil]) -> list:
    """Die Teile als Läufe (fett, kursiv) und Links; zurück kommen die Läufe ohne Links (für Schriftgröße)."""
    laeufe = []
    for t in teile:
        if t.url:
            _link(absatz, t.url, sauber(t.text))
            continue
        lauf = absatz.add_run(sauber(t.text))
        lauf.bold, lauf.italic = t.fett or None, t.kursiv or None
        laeufe.append(lauf)
    return laeufe


def _tabelle(dok, b: Block) -> None:
    """Feste Spaltenbreiten (Summe = Satzspiegel), Kopfzeile fett und auf jeder Seite wiederholt, Zeilen ungeteilt."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    tabelle = dok.add_table(rows=1, cols=len(b.kopf))
    tabelle.style = "Table Grid"
    tabelle.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tabelle._tbl.tblPr.append(layout)
    faktor = SATZSPIEGEL_CM / sum(b.breiten)
    breiten = [Cm(w * faktor) for w in b.breiten]
    for spalte, breite in zip(tabelle.columns, breiten):
        spalte.width = breite
    for zelle, text in zip(tabelle.rows[0].cells, b.kopf):
        zelle.paragraphs[0].add_run(text).bold = True
    kopf = tabelle.rows[0]._tr.get_or_add_trPr()
    for name in ("w:tblHeader", "w:cantSplit"):
        kopf.append(OxmlElement(name))
    for zeile in b.zeilen:
        reihe = tabelle.add_row()
        reihe._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for zelle, teile in zip(reihe.cells, zeile):
            _laeufe(zelle.paragraphs[0], teile)
    for reihe in tabelle.rows:
        for zelle, breite in zip(reihe.cells, breiten):
            zelle.width = breite
            for absatz in zelle.paragraphs:
                absatz.paragraph_format.space_after = Pt(1)
                for lauf in absatz.runs:
                    lauf.font.size = Pt(9)
    for eigenschaften in tabelle._tbl.iter(qn("w:rPr")):  # auch die Läufe in Links (python-docx kennt sie nicht)
        if eigenschaften.find(qn("w:sz")) is None:
            groesse = OxmlElement("w:sz")
            groesse.set(qn("w:val"), "18")
            eigenschaften.append(groesse)
    dok.add_paragraph().paragraph_format.space_after = Pt(0)


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


__all__ = ["docx_bericht", "sauber"]
