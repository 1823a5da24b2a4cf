"""``check --format docx``: das Dokument öffnet mit python-docx und enthält jede Rechtsgrundlage des Berichts – Norm,
Link und Wortlaut –, die Zusammenfassung, den Rechtsstand und die Datenquelle."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cli.main import main

docx = pytest.importorskip("docx")


def _text_und_links(pfad) -> tuple[str, set[str]]:
    dokument = docx.Document(str(pfad))
    teile = [p.text for p in dokument.paragraphs]
    for tabelle in dokument.tables:
        for zeile in tabelle.rows:
            teile += [z.text for z in zeile.cells]
    links = {r.target_ref for r in dokument.part.rels.values() if r.reltype.endswith("/hyperlink")}
    return "\n".join(teile), links


@pytest.mark.parametrize("ags", ["05315000", "14713000", "10041100", "07339", "01055032"])
def test_docx_enthaelt_jede_rechtsgrundlage(tmp_path, ags):
    ziel = tmp_path / "bericht.docx"
    lauf = CliRunner().invoke(main, ["check", "--ags", ags, "--stichtag", "2026-12-01", "--format", "docx",
                                     "--ausgabe", str(ziel)])
    assert lauf.exit_code == 0, lauf.output
    text, links = _text_und_links(ziel)
    daten = json.loads(CliRunner().invoke(main, ["check", "--ags", ags, "--stichtag", "2026-12-01", "--format",
                                                 "json"]).output)
    assert "Auf einen Blick" in text and "Datenlizenz" in text and "Rechtsstand geprüft am" in text
    for e in daten["ergebnisse"]:
        z = e["zitat"]
        assert z["norm"] in text, z["norm"]
        assert z["url"] in links, z["url"]
        if z.get("wortlaut"):
            assert " ".join(z["wortlaut"].split())[:200] in " ".join(text.split()), e["regel"]
        assert e["titel"] in text


def test_docx_ohne_ausgabedatei_ist_ein_deutscher_fehler():
    lauf = CliRunner().invoke(main, ["check", "--ags", "05315000", "--format", "docx"])
    assert lauf.exit_code == 2 and "--ausgabe bericht.docx" in lauf.output


def test_steuerzeichen_im_namen_machen_das_dokument_nicht_kaputt(tmp_path):
    profil = tmp_path / "p.yaml"
    profil.write_text('name: "Test\\x07dorf \\u202eevil"\nland: HE\ntyp: gemeinde\neinwohner: 5000\n'
                      'auslaendische_einwohner: 1200\n', encoding="utf-8")
    ziel = tmp_path / "b.docx"
    lauf = CliRunner().invoke(main, ["check", str(profil), "--format", "docx", "--ausgabe", str(ziel)])
    assert lauf.exit_code == 0, lauf.output
    text, _ = _text_und_links(ziel)
    assert "Test\ufffddorf" in text


def docx_text(bericht, ausfuehrlich: bool = False) -> str:
    """Aller Text eines Dokuments (Absätze, Tabellen, Kopf- und Fußzeile) – für Prüfungen auf Inhalte."""
    import io

    from engine.ausgabe.docx_bericht import docx_bericht

    dokument = docx.Document(io.BytesIO(docx_bericht(bericht, ausfuehrlich)))
    teile = [p.text for p in dokument.paragraphs]
    for tabelle in dokument.tables:
        teile += [z.text for zeile in tabelle.rows for z in zeile.cells]
    for s in dokument.sections:
        teile += [p.text for p in s.header.paragraphs + s.footer.paragraphs]
    return "\n".join(teile)


def test_docx_ist_eine_anlage_a4_deutsch_mit_kopf_und_seitenzahlen(tmp_path):
    """A4 mit Rändern, Kopfzeile mit Kommune und Rechtsstand, „Seite X von Y“, deutsche Sprache und Metadaten,
    Tabellen mit festen Spaltenbreiten über den Satzspiegel, Überschriften nie allein am Seitenende."""
    import datetime as dt

    from docx.oxml.ns import qn

    ziel = tmp_path / "koeln.docx"
    lauf = CliRunner().invoke(main, ["check", "--ags", "05315000", "--stichtag", "2026-12-01", "--format", "docx",
                                     "--ausgabe", str(ziel)])
    assert lauf.exit_code == 0, lauf.output
    d = docx.Document(str(ziel))
    s = d.sections[0]
    assert (round(s.page_width.cm, 1), round(s.page_height.cm, 1)) == (21.0, 29.7)
    assert min(s.left_margin.cm, s.right_margin.cm, s.top_margin.cm, s.bottom_margin.cm) >= 2.0
    kopf = " ".join(p.text for p in s.header.paragraphs)
    assert "Köln" in kopf and "Rechtsstand 01.12.2026" in kopf
    fuss = s.footer.paragraphs[0]._p.xml
    assert "Seite " in fuss and " von " in fuss and " PAGE " in fuss and " NUMPAGES " in fuss
    p = d.core_properties
    assert p.author == "kommunalpflichten" and p.language == "de-DE" and p.created.year == dt.date.today().year
    sprache = d.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
    assert sprache.get(qn("w:val")) == "de-DE"
    assert all(d.styles[f"Heading {n}"].paragraph_format.keep_with_next for n in (1, 2, 3))
    tabelle = d.tables[0]
    assert tabelle._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    breiten = [z.width.cm for z in tabelle.rows[0].cells]
    assert abs(sum(breiten) - 16.0) < 0.05 and min(breiten) >= 2.7 and max(breiten) - min(breiten) > 2  # nicht gleich breit
    assert [z.text for z in tabelle.rows[0].cells] == ["Status", "Regelung", "Rechtsgrundlage"]
    text = docx_text_aus(d)
    assert "--" not in text.replace("–", "")  # keine Optionen der Kommandozeile


def docx_text_aus(dokument) -> str:
    return "\n".join([p.text for p in dokument.paragraphs]
                     + [z.text for t in dokument.tables for zeile in t.rows for z in zeile.cells])
