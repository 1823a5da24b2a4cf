"""Die kleinen Ausrutscher aus Issue 22, je mit einer Probe: Kreisnamen ohne doppeltes „Kreis“, Gemeindenamen ohne
„/ “, kein Umbruch zwischen „±“ oder „§“ und der Zahl, keine „Höhe: Höhe …“, die README ohne „Standardannahme“."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from cli.main import main
from engine.ausgabe.umbruch import umbrechen
from engine.kommunen.daten import alle, anzeigename, beschreibung
from engine.kommunen.suche import finde_ags

from .conftest import BEISPIELE, WURZEL


def _lauf(*args: str) -> str:
    lauf = CliRunner().invoke(main, list(args))
    assert lauf.exit_code == 0, lauf.output
    return lauf.output


def test_kein_kreisname_mit_doppeltem_kreis():
    assert beschreibung(finde_ags("05162024")).startswith("Neuss – Große kreisangehörige Stadt, Rhein-Kreis Neuss,")
    for d in alle():
        name = anzeigename(d)
        assert not re.search(r"\b(Land)?[Kk]reis\b.*[Kk]reis", name) or name.count("reis") == 1 or \
            d.name.count("reis") >= 2, name
        assert not name.startswith(("Kreis ", "Landkreis ")) or "kreis" not in name.split(" ", 1)[1].lower(), name


def test_gemeindenamen_ohne_leerzeichen_nach_dem_schraegstrich():
    assert _lauf("check", "--ags", "10041518").startswith("Sulzbach/Saar – ")
    for d in alle():
        assert not re.search(r"\S/ ", anzeigename(d)), d.name  # „Bautzen / Budyšin“ (zweisprachig) bleibt


@pytest.mark.parametrize("paar", ["± 206", "§ 86", "Abs. 1", "Satz 3", "1.000 €", "15,7 %", "Zensus 2022",
                                  "--merkmal x=ja|nein", "© Destatis"])
def test_umbruch_trennt_kein_zeichen_von_seiner_zahl(paar):
    text = f"Dies ist ein Text mit einem Paar, das zusammenbleibt: {paar} und noch etwas danach zum Füllen"
    for breite in range(30, 90):
        zeilen = umbrechen(text, breite)
        assert any(paar in z for z in zeilen), (breite, zeilen)


def test_fehlerspanne_steht_mit_ihrer_zahl():
    text = _lauf("check", str(BEISPIELE / "main-kinzig-kreis.yaml"), "--stichtag", "2025-06-01", "--ausfuehrlich")
    assert "Fehlerspanne ± " in " ".join(text.split())
    for zeile in text.splitlines():
        assert not zeile.rstrip().endswith(("±", "§", "Abs.", "Nr.")), zeile


def test_nie_hoehe_hoehe():
    for args in (["--ags", "05315000"], ["--ags", "14626"]):
        for form in ([], ["--ausfuehrlich"], ["--format", "markdown"]):
            text = " ".join(_lauf("check", *args, "--stichtag", "2026-12-01", *form).split())
            assert "Höhe: Höhe" not in text and "Höhe Höhe" not in text
            assert "nicht pauschal bestimmbar" in text


def test_readme_beschreibt_unbekannte_merkmale_nicht_als_nein():
    readme = (WURZEL / "README.md").read_text(encoding="utf-8")
    assert "Standardannahme" not in readme
