"""Ein Berichtsmodell, jede Form (Issue 22): der kurze Text bleibt kurz und sagt jede Aussage einmal, „Auf einen
Blick“ ist vollständig und stimmt mit den Karten überein, Dokumente tragen keine Bedienhinweise der Kommandozeile und
keine internen Recherchevermerke."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from engine.ausgabe.aufbau import baue, kurztitel, programm_am
from engine.ausgabe.markdown import markdown_bericht
from engine.ausgabe.oeffentlich import oeffentlich
from engine.ausgabe.text import text_aus_modell, text_bericht
from engine.auswertung.bericht import erstelle_bericht
from engine.kommunen.suche import finde_ags

# zehn Orte verschiedener Länder (Issue 22) und die längsten Berichte aus bench/berichtslaenge.py
ORTE = {"05315000": "Köln", "10041100": "Saarbrücken", "10044117": "Schmelz", "14626": "Landkreis Görlitz",
        "06413000": "Offenbach am Main", "09162000": "München", "11000008": "Neukölln", "15085": "Landkreis Harz",
        "07315000": "Mainz", "01002000": "Kiel"}
LANGE = [("06432003", "2025-06-01"), ("06440025", "2025-06-01"), ("06532020", "2025-06-01"),
         ("05562028", "2024-06-01"), ("05362020", "2026-12-06"), ("10041511", "2026-12-06")]
TAGE = ["2026-12-06", "2023-06-01"]
# Dateinamen der Recherche und ihre Vermerke; „Wortlaut abgeglichen mit: … (g/gg/index.md)“ ist eine öffentliche Kopie
INTERN = re.compile(r"pflichtaufgaben\.md|Konfidenz|Prüfbericht|Vorrecherche|Recherche-Notiz|Auftrag zu Issue"
                    r"|zustaendigkeit_belegt_durch|quelle_inhalt|pruefhinweis")
OPTIONEN = re.compile(r"--(merkmal|auslaendische-einwohner|einwohner|ausfuehrlich|format|ausgabe)\b")


def _bericht(regelbasis, durable, ags: str, tag: str):
    stichtag = dt.date.fromisoformat(tag)
    return erstelle_bericht(finde_ags(ags).profil(stichtag), stichtag, regelbasis, durable)


@pytest.fixture(scope="module")
def berichte(regelbasis, durable):
    return {(ags, tag): _bericht(regelbasis, durable, ags, tag) for ags in ORTE for tag in TAGE}


def _blick(text: str) -> str:
    return text.split("AUF EINEN BLICK")[1].split("\n\n")[0]


@pytest.mark.parametrize("ags, tag", [(a, t) for a in ORTE for t in TAGE] + LANGE)
def test_kurzer_bericht_hat_hoechstens_80_zeilen(regelbasis, durable, ags, tag):
    text = text_bericht(_bericht(regelbasis, durable, ags, tag))
    assert text.count("\n") <= 80, text


def test_die_spanne_wird_einmal_erklaert_und_jede_frage_steht_einmal(regelbasis, durable):
    """Saarland, 10 % an der Schwelle: drei Karten hängen an der Spanne, eine an der Beiratswahl."""
    from engine.kommunen.profil import Kommune, Spanne, Unsicherheit

    k = Kommune(name="Schwellingen", land="SL", typ="gemeinde", einwohner=20_000, auslaendische_einwohner=2_000,
                unsicherheit=Unsicherheit(auslaendische_einwohner=Spanne(von=1_800, bis=2_200),
                                          grund="Verhältnis Melderegister/Zensus des Kreises +8 % (Test)"))
    bericht = erstelle_bericht(k, dt.date(2026, 12, 1), regelbasis, durable)
    modell = baue(bericht)
    assert modell.kopf.spanne_entscheidet and len(modell.fragen) >= 2
    assert sum(1 for e in modell.eintraege() if e.spanne) >= 2
    text = text_bericht(bericht)
    assert text.count("entscheidet die Zahl des Melderegisters") == 1
    assert "Verhältnis Melderegister/Zensus" not in text  # die Herleitung der Schätzung: nur ausführlich
    for frage in modell.fragen:
        assert " ".join(text.split()).count(frage.text) == 1, frage.text
    assert "Verhältnis Melderegister/Zensus" in text_bericht(bericht, ausfuehrlich=True)


@pytest.mark.parametrize("ags", list(ORTE))
@pytest.mark.parametrize("tag", TAGE)
def test_auf_einen_blick_ist_vollstaendig_und_stimmt_mit_den_karten(berichte, ags, tag):
    modell = baue(berichte[(ags, tag)])
    text = text_aus_modell(modell)
    blick = _blick(text)
    assert "weitere Punkte" not in text and not blick.rstrip().endswith(("–", ",", ";"))
    gruppen = {g.marke: g for g in modell.blick}
    for e in modell.eintraege():
        if e.bundesrecht:
            continue
        # jede Karte steht in der Zeile ihrer eigenen Marke – eine offene nie in der Zeile der Pflichten
        assert e in gruppen[e.marke].punkte, (e.titel, e.marke)
        assert e.marke.split(" ")[0] in blick
    zeilen = [z for z in blick.splitlines()[1:] if not z.startswith(" ")]
    marken = [z[:12].strip() for z in zeilen]
    assert len(marken) == len(set(marken)), "je Marke eine Zeile"
    assert not any("MUSS" in m and "SOLL" in m for m in marken)


def test_goerlitz_offen_steht_nicht_bei_muss(berichte):
    blick = _blick(text_bericht(berichte[("14626", "2026-12-06")]))
    muss = next(z for z in blick.splitlines() if z.startswith("MUSS "))
    assert "Integrationskonzept" not in muss
    assert any(z.startswith("OFFEN (soll)") and "Integrationskonzept" in z for z in blick.splitlines())


def test_beendete_programme_stehen_nicht_neben_laufenden():
    name = ("Richtlinie Integrative Maßnahmen Teil 2 (2017–2018); Sächsische Kommunalpauschalenverordnung "
            "(2019–2024); Kommunalintegrationsarbeitsverordnung – KomIntAVO (seit 18.09.2024)")
    assert programm_am(name, dt.date(2023, 6, 1)) == "Sächsische Kommunalpauschalenverordnung (2019–2024)"
    assert programm_am(name, dt.date(2026, 1, 1)) == "Kommunalintegrationsarbeitsverordnung – KomIntAVO (seit 18.09.2024)"
    assert programm_am("Kommunale Integrationszentren", dt.date(2026, 1, 1)) == "Kommunale Integrationszentren"


def test_goerlitz_nennt_nur_das_laufende_saechsische_programm(berichte):
    for tag in TAGE:
        blick = _blick(text_bericht(berichte[("14626", tag)]))
        assert "(2017–2018)" not in blick, blick


def test_kurztitel_laesst_die_voraussetzung_fuer_die_karte():
    assert kurztitel("Integrationsbeirat in Gemeinden mit einem Ausländeranteil von mindestens zehn vom Hundert") == \
        "Integrationsbeirat"
    assert kurztitel("Integrations-Kommission, wenn der Ausländerbeirat weniger als drei Mitglieder hat") == \
        "Integrations-Kommission, wenn der Ausländerbeirat weniger als drei Mitglieder hat"


@pytest.mark.parametrize("ags", ["09162000", "11000008", "14626", "12063", "09184"])
def test_keine_internen_vermerke_in_text_markdown_und_docx(regelbasis, durable, ags):
    from tests.test_docx import docx_text

    bericht = _bericht(regelbasis, durable, ags, "2026-12-06")
    for form in (text_bericht(bericht, ausfuehrlich=True), markdown_bericht(bericht, ausfuehrlich=True),
                 docx_text(bericht)):
        assert not INTERN.search(form), INTERN.search(form)


@pytest.mark.parametrize("ags", ["10044117", "05362020", "06413000"])
def test_dokumente_nennen_keine_optionen_der_kommandozeile(regelbasis, durable, ags):
    from tests.test_docx import docx_text

    bericht = _bericht(regelbasis, durable, ags, "2026-12-06")
    for form in (markdown_bericht(bericht), markdown_bericht(bericht, ausfuehrlich=True), docx_text(bericht)):
        assert not OPTIONEN.search(form), OPTIONEN.search(form)
    assert "zu klären" in markdown_bericht(bericht)  # die Frage steht als Satz da


def test_markdown_absaetze_nicht_hart_umbrochen_und_marke_mit_abstand(berichte):
    md = markdown_bericht(berichte[("06413000", "2026-12-06")])
    assert re.search(r"\*\*[A-ZÄÖÜ() ?]+\*\*[^\s|]", md) is None  # nie „**MUSS**(Pflicht)“
    kopf = md.split("## Auf einen Blick")[0]
    assert "Zensus 2022 (15.05.2022)" in next(z for z in kopf.splitlines() if "Quelle der Zahlen" in z)
    for zeile in kopf.splitlines():
        assert not zeile.startswith("-   "), zeile
    assert md.count("| Status | Regelung | Rechtsgrundlage |") == 1


def test_oeffentlich_entfernt_recherchevermerke_und_optionen():
    assert oeffentlich("LT-Drs. 17/10298; Recherche foerderprogramme-und-pflichtaufgaben.md, Teil B5 (Konfidenz M)") == \
        "LT-Drs. 17/10298"
    assert oeffentlich("Recherche foerderprogramme-und-pflichtaufgaben.md, Teil B4 (Konfidenz H)") == ""
    assert oeffentlich("Landesamt für Soziales und Versorgung (LASV) – laut Vorrecherche, nicht geprüft") == \
        "Landesamt für Soziales und Versorgung (LASV)"
    assert oeffentlich("Neu nach Prüfbericht 2026-12 (keine Regel). Zum Jugendamt gehört der Ausschuss.") == \
        "Zum Jugendamt gehört der Ausschuss."
    assert oeffentlich("eigene Angabe (--merkmal)") == "eigene Angabe"
    assert oeffentlich("Fortschreibung der Fassung 2019; keine Quelle belegt wie unter zustaendigkeit_belegt_durch") \
        == "Fortschreibung der Fassung 2019"
    assert oeffentlich("… zum Stichtag der Norm – mit --auslaendische-einwohner prüfen") == "… zum Stichtag der Norm"
    assert oeffentlich("Stadt Speyer, Wahl des Beirats 2019 (Wiedergabe, nicht der Gesetzestext)") == \
        "Stadt Speyer, Wahl des Beirats 2019 (Wiedergabe, nicht der Gesetzestext)"
