"""Webseite aus dem Berichtsmodell (Issue 22): der Status einer Karte passt zur beantworteten Frage, die Seite passt auf
ein Telefon (390 px), die Abdeckung zeigt bei 1280 px jede Spalte, der Ausdruck bleibt kurz und hält Überschriften bei
ihrem Text, /regeln ordnet nach Ländernamen mit deutschen Bezeichnungen, die Beispiele der Startseite sind aktuell."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from cli.main import main
from engine.begriffe import LAENDER
from web.app import erstelle_app

from .test_web_browser import _bild, browser, server  # noqa: F401 - Fixtures (echter Server, Chromium)


@pytest.fixture(scope="module")
def client():
    return TestClient(erstelle_app())


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _abschnitt(html: str, schluessel: str) -> str:
    teil = html.split(f'id="gruppe-{schluessel}"')[1] if f'id="gruppe-{schluessel}"' in html else ""
    return teil.split("</section>")[0]


def test_beantwortete_frage_verschiebt_die_karte_nach_entfaellt(client):
    vorher = client.get("/kommune/06413000?stichtag=2026-12-01").text
    nachher = client.get("/kommune/06413000?stichtag=2026-12-01&integrationskommission_gebildet=ja").text
    assert "he.hgo.84.auslaenderbeirat" in _abschnitt(vorher, "gremium")
    gremium, entfallen = _abschnitt(nachher, "gremium"), _abschnitt(nachher, "entfallen")
    assert 'id="regel-he.hgo.84.auslaenderbeirat"' not in gremium
    karte = entfallen.split('id="regel-he.hgo.84.auslaenderbeirat"')[1].split("</article>")[0]
    assert "ENTFÄLLT (muss)" in karte and "Pflicht" not in _text(karte).split("Ohne die Ausnahme")[0]
    zahl_vorher = int(re.search(r'id="gruppe-gremium">Integrationsgremium \((\d+)\)', vorher)[1])
    zahl_nachher = int(re.search(r'id="gruppe-gremium">Integrationsgremium \((\d+)\)', nachher)[1])
    assert zahl_nachher == zahl_vorher - 1
    assert 'value="ja" checked' in nachher  # die Antwort bleibt im Formular


def test_karten_und_ueberblick_haben_dieselbe_marke(client):
    html = client.get("/kommune/10041100?stichtag=2026-12-01").text
    for regel, marke in re.findall(r'id="titel-([^"]+)"><span class="marke-text[^"]*">([^<]+)</span>', html):
        assert re.search(rf'class="marke-text[^"]*">{re.escape(marke)}</span>', html.split('id="blick"')[1]
                         .split("</section>")[0]) or regel.startswith("de."), (regel, marke)


def test_druckansicht_ohne_formular_und_ohne_recherchevermerke(client):
    html = client.get("/kommune/09162000/druck?stichtag=2026-12-01").text
    text = _text(html)
    assert "<form" not in html and 'href="#frage-' not in html  # im Ausdruck gibt es kein Formular
    assert not re.search(r"pflichtaufgaben\.md|Konfidenz|Prüfbericht|--merkmal|--auslaendische", text)


def test_regeln_nach_laendernamen_mit_deutschen_bezeichnungen(client):
    html = client.get("/regeln").text
    namen = re.findall(r'<h2 id="land-([A-Z]{2})">', html)
    reihenfolge = [LAENDER[c].name if c in LAENDER else "Bund" for c in namen]
    assert reihenfolge[0] == "Bund" and reihenfolge[1:] == sorted(reihenfolge[1:])
    assert not re.search(r"<td>(pflicht|foerderung|hinweis|regel|ausnahme)( \((muss|soll|kann)\))?</td>", html)
    assert "<td>Förderprogramm</td>" in html and "<td>Pflicht (muss)</td>" in html


def test_beispiele_der_startseite_nennen_geltendes(client):
    html = client.get("/").text
    beispiele = re.findall(r'<li><a href="/kommune/(\d+)">[^<]+</a> \([^:]+: ([^)]+)\)</li>', html)
    assert len(beispiele) >= 5
    heute = dt.date.today().isoformat()
    for ags, stichworte in beispiele:
        bericht = " ".join(CliRunner().invoke(main, ["check", "--ags", ags, "--stichtag", heute]).output.split())
        for wort in stichworte.split(", "):
            assert wort in bericht, (ags, wort)  # kein Programm, das schon geendet hat


def _breite(s, breite: int) -> list[str]:
    return s.evaluate(f"""[...document.querySelectorAll('main *')]
        .filter(e => e.getBoundingClientRect().right > {breite} + 1 && !e.closest('.tabelle-rollen'))
        .map(e => e.tagName + ' ' + Math.round(e.getBoundingClientRect().right))""")


@pytest.mark.parametrize("pfad", ["/kommune/05315000?stichtag=2026-12-01", "/kommune/10044117?stichtag=2026-12-01",
                                  "/kommune/05315000/druck?stichtag=2026-12-01", "/", "/regeln", "/abdeckung"])
def test_telefon_390_px_ohne_waagrechtes_scrollen(browser, server, pfad):  # noqa: F811
    kontext = browser.new_context(locale="de-DE", viewport={"width": 390, "height": 844})
    s = kontext.new_page()
    s.goto(server + pfad)
    assert s.evaluate("document.documentElement.scrollWidth") <= 390
    assert _breite(s, 390) == []
    if pfad == "/kommune/05315000?stichtag=2026-12-01":
        kasten = s.locator("section.angaben").bounding_box()
        assert kasten["x"] >= 0 and kasten["x"] + kasten["width"] <= 390  # „Zahlen und offene Fragen“ ganz sichtbar
        _bild(s, "web_ergebnis_390.png")
    kontext.close()


def test_abdeckung_zeigt_bei_1280_px_jede_spalte(browser, server):  # noqa: F811
    kontext = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    s = kontext.new_page()
    s.goto(server + "/abdeckung")
    letzte = s.locator("table.abdeckung thead th").last.bounding_box()
    assert letzte["x"] + letzte["width"] <= 1280
    assert s.evaluate("(r => r.scrollWidth <= r.clientWidth)(document.querySelector('.tabelle-rollen'))")
    _bild(s, "web_abdeckung_1280.png")
    s.goto(server + "/kommune/05315000?stichtag=2026-12-01")
    _bild(s, "web_ergebnis_1280.png")
    kontext.close()


def test_druck_kurz_und_ueberschriften_bei_ihrem_text(browser, server):  # noqa: F811
    kontext = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    s = kontext.new_page()
    s.goto(server + "/kommune/05315000/druck?stichtag=2026-12-01")
    s.emulate_media(media="print")
    for stil in s.evaluate("[...document.querySelectorAll('main h2, main h3')].map(e => getComputedStyle(e).breakAfter)"):
        assert stil in ("avoid", "avoid-page"), stil
    pdf = s.pdf(format="A4")
    seiten = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 0 < seiten <= 7, seiten  # vorher 14 Seiten
    kontext.close()
