"""Ende-zu-Ende im echten Browser (Issue 12): Chromium der Distribution, gesteuert von Playwright, gegen einen echten
``kommunalpflichten web``-Server. Suche mit Vorschlägen → Ergebnis → offene Frage beantworten → Druckansicht, ohne
Fehler in der Browser-Konsole; Tastaturbedienung; Bildschirmfotos für die Dokumentation.

Voraussetzung: ``apt install chromium`` (oder KOMMUNALPFLICHTEN_CHROMIUM=/pfad/zu/chromium). Ohne Chromium werden die
Tests übersprungen – außer mit KOMMUNALPFLICHTEN_BROWSERTESTS=pflicht (so in ``.ci/run``): dann schlagen sie fehl.
Mit KOMMUNALPFLICHTEN_BILDER=docs/bilder legen sie die Bildschirmfotos für README und docs/ dort ab.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import WURZEL

PFLICHT = os.environ.get("KOMMUNALPFLICHTEN_BROWSERTESTS", "").lower() == "pflicht"
CHROMIUM = os.environ.get("KOMMUNALPFLICHTEN_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def _voraussetzung(grund: str):
    if PFLICHT:
        pytest.fail(f"Browsertests verlangt, aber {grund}")
    pytest.skip(grund)


@pytest.fixture(scope="module")
def server():
    """Ein echter Server auf einem freien Port der Loopback-Schnittstelle."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    prozess = subprocess.Popen([sys.executable, "-m", "cli.main", "web", "--port", str(port)], cwd=WURZEL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    adresse = f"http://127.0.0.1:{port}"
    frist = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(adresse + "/", timeout=2).read()
            break
        except OSError:
            if prozess.poll() is not None or time.monotonic() > frist:
                prozess.kill()
                pytest.fail("Server startet nicht: " + (prozess.stderr.read() or b"").decode(errors="replace"))
            time.sleep(0.2)
    yield adresse
    prozess.terminate()
    prozess.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _voraussetzung("Playwright ist nicht installiert (pip install '.[test]')")
    if not CHROMIUM:
        _voraussetzung("Chromium fehlt (apt install chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--lang=de-DE"])
        yield b
        b.close()


@pytest.fixture()
def seite(browser):
    kontext = browser.new_context(locale="de-DE", viewport={"width": 1200, "height": 900})
    s = kontext.new_page()
    s.konsole = []
    s.on("console", lambda m: s.konsole.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    s.on("pageerror", lambda e: s.konsole.append(f"pageerror: {e}"))
    yield s
    kontext.close()


def _bild(s, name: str) -> None:
    ziel = os.environ.get("KOMMUNALPFLICHTEN_BILDER")
    if ziel:
        Path(ziel).mkdir(parents=True, exist_ok=True)
        s.screenshot(path=str(Path(ziel) / name), full_page=False)


def test_suche_ergebnis_frage_druck(server, seite):
    s = seite
    s.goto(server + "/")
    assert s.title().startswith("Kommune prüfen")
    s.fill("#q", "Köl")
    # ein Locator statt wait_for_function: dessen Prädikat liefe über eval, das die Content-Security-Policy verbietet
    s.locator("#vorschlaege option").first.wait_for(state="attached", timeout=10_000)
    vorschlaege = s.eval_on_selector_all("#vorschlaege option", "els => els.map(e => e.value)")
    assert "Köln (05315000)" in vorschlaege
    s.fill("#q", "Köln (05315000)")
    s.fill("#stichtag", "2025-06-01")
    _bild(s, "web_start.png")
    s.click("button[type=submit]")
    s.wait_for_url("**/kommune/05315000?stichtag=2025-06-01")
    assert s.inner_text("h1") == "Köln"
    assert "Auf einen Blick" in s.inner_text("main")
    _bild(s, "web_ergebnis.png")

    # Zitat aufklappen: Wortlaut erscheint erst auf Wunsch
    zitat = s.locator("#regel-nw\\.go\\.27\\.integrationsrat details.zitat")
    assert not zitat.get_attribute("open")
    zitat.locator("summary").click()
    assert "mindestens 5000 ausländische Einwohner" in zitat.inner_text()

    # offene Frage beantworten → neu ausgewertet, Antwort in der Adresse
    s.check("input[name=integrationsausschuss_gebildet][value=ja]")
    s.click("#angaben button[type=submit]")
    s.wait_for_url("**integrationsausschuss_gebildet=ja**")
    assert "ENTFÄLLT (muss)" in s.inner_text("#regel-nw\\.go\\.27\\.integrationsrat")
    assert s.is_checked("input[name=integrationsausschuss_gebildet][value=ja]")
    lesezeichen = s.url
    s.goto(lesezeichen)  # ein Lesezeichen zeigt dasselbe
    assert "ENTFÄLLT (muss)" in s.inner_text("#regel-nw\\.go\\.27\\.integrationsrat")

    # Druckansicht: alles aufgeklappt, Antwort erhalten
    s.click("text=Druckansicht")
    s.wait_for_url("**/druck?**")
    assert "Anlage zur Beschlussvorlage" in s.inner_text("body")
    assert s.locator("details.zitat:not([open])").count() == 0
    assert "integrationsausschuss_gebildet=ja" in s.url
    pdf = s.pdf(format="A4") if hasattr(s, "pdf") else b""
    assert pdf[:4] == b"%PDF"
    assert s.konsole == [], s.konsole


def test_ohne_javascript_bedienbar(browser, server):
    kontext = browser.new_context(java_script_enabled=False, locale="de-DE")
    s = kontext.new_page()
    s.goto(server + "/")
    s.fill("#q", "Offenbach")
    s.click("button[type=submit]")
    s.wait_for_url("**/suche?**")
    s.click("text=Offenbach am Main – kreisfreie Stadt, Hessen")
    s.wait_for_url("**/kommune/06413000**")
    assert "Ausländerbeirat" in s.inner_text("main")
    kontext.close()


def test_tastatur_und_orientierung(server, seite):
    s = seite
    s.goto(server + "/kommune/06413000?stichtag=2025-06-01")
    s.keyboard.press("Tab")
    assert s.evaluate("document.activeElement.textContent") == "Zum Inhalt springen"
    s.keyboard.press("Enter")
    assert s.evaluate("document.activeElement.id") == "inhalt"
    landmarken = s.evaluate("[...document.querySelectorAll('header, nav, main, footer')].map(e => e.tagName)")
    assert {"HEADER", "NAV", "MAIN", "FOOTER"} <= set(landmarken)
    ohne_label = s.evaluate("""[...document.querySelectorAll('input:not([type=hidden]):not([type=radio])')]
        .filter(e => !document.querySelector('label[for="' + e.id + '"]')).map(e => e.name)""")
    assert ohne_label == []
    assert s.evaluate("[...document.querySelectorAll('h1')].length") == 1
    assert s.konsole == [], s.konsole


def test_fehlerseite_im_browser(server, seite):
    seite.goto(server + "/kommune/06413000?stichtag=kaputt")
    assert "Das hat nicht geklappt" in seite.inner_text("h1")
    assert "kein Datum" in seite.inner_text("[role=alert]")


def test_karte_eines_landes_mit_tastatur(server, seite):
    """Jede Fläche der Kreiskarte ist ein Link: mit Tab erreichbar, Enter springt zur Zeile der Kreisliste."""
    s = seite
    s.goto(server + "/laender/HE?stichtag=2026-12-01")
    assert s.locator("svg.karte-svg a").count() == 27  # 26 Kreise und Hanau (seit 01.01.2026 kreisfrei)
    _bild(s, "web_land.png")
    s.focus("a[href='#kreise']")  # der Link im Text direkt vor der Karte
    s.keyboard.press("Tab")
    aktiv = s.evaluate("[document.activeElement.namespaceURI, document.activeElement.id]")
    assert aktiv[0] == "http://www.w3.org/2000/svg" and aktiv[1].startswith("karte-")
    titel = s.evaluate("document.activeElement.querySelector('title').textContent")
    assert ": gilt für " in titel or "nicht betroffen" in titel
    s.keyboard.press("Enter")
    s.wait_for_url(f"**#kreis-{aktiv[1].removeprefix('karte-')}")
    assert s.evaluate("document.querySelector(':target').tagName") == "TR"
    assert s.konsole == [], s.konsole
