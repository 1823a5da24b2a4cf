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
