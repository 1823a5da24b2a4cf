"""Eingaben, die nie still umgedeutet werden (Issue 21, Funde 6 und 12): Zahlen nur in YAML-1.2-Form, ein Profil mit
AGS passt zu den mitgelieferten Daten, Spannen passen zu eigenen Zahlen, Stellen im Kostenmodell sind geprüfte
Zahlen, Fehlerlisten sind begrenzt."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from click.testing import CliRunner
from pydantic import ValidationError

from cli.main import main
from engine.fehler import MAX_MELDUNGEN, EingabeFehler
from engine.kommunen.profil import lade_profil, mit_eigenen_zahlen, profil_aus_dokument
from engine.regeln.format import Betragsparameter, Kostenmodell, in_laufzeit
from engine.regeln.modell import stellenbruch
from engine.yamlquelle import lese_text

PROFIL = "name: {name}\n{ags}land: {land}\ntyp: {typ}\neinwohner: {einwohner}\nauslaendische_einwohner: 1500\n"


def profil(name="Musterstadt", ags=None, land="HE", typ="gemeinde", einwohner="20000", zusatz=""):
    text = PROFIL.format(name=name, ags=f'ags: "{ags}"\n' if ags else "", land=land, typ=typ, einwohner=einwohner)
    return profil_aus_dokument(lese_text(text + zusatz, "p.yaml"))


def meldungen(**werte) -> list:
    with pytest.raises(EingabeFehler) as info:
        profil(**werte)
    return info.value.meldungen


# ------------------------------------------------------------------------------------------ YAML 1.2

@pytest.mark.parametrize("wert, teil", [("010000", "führender Null"), ("01001", "führender Null"), ("-010", "führender Null"),
                                        ("1:20:00", "Sexagesimalzahl"), ("1_000", "Unterstriche"),
                                        ("0x2710", "Dezimalzahlen"), ("0b101", "Dezimalzahlen"),
                                        ("+0o17", None)])
def test_zahlen_nur_in_yaml12_form(wert, teil):
    m = meldungen(einwohner=wert)
    assert m[0].fundstelle.zeile == 4, m[0].zeile()
    assert (teil is None and "ganze Zahl" in m[0].text) or (teil in m[0].text and m[0].fundstelle.spalte == 12)
    # „+0o17“ ist in YAML 1.1 ein Text: „Muss eine ganze Zahl sein“


@pytest.mark.parametrize("wert, erwartet", [("20000", 20000), ("+20000", 20000), ("0", None)])
def test_gewoehnliche_zahlen_bleiben(wert, erwartet):
    if erwartet is None:
        assert "mindestens 1" in meldungen(einwohner=wert)[0].text
    else:
        assert profil(einwohner=wert).einwohner == erwartet


@pytest.mark.parametrize("text", ["x: 1:30.5\n", "x: 1_000.5\n"])
def test_kommazahlen_ohne_sexagesimal_und_unterstrich(text):
    with pytest.raises(EingabeFehler, match="keine Zahl in gewöhnlicher Schreibweise"):
        lese_text(text, "r.yaml")
    assert lese_text("x: 1.5\ny: .5\nz: 010.5\n", "r.yaml").daten == {"x": 1.5, "y": 0.5, "z": 10.5}


def test_ags_als_schluessel_in_anfuehrungszeichen_bleibt_text():
    assert lese_text('"06413000": 1\n', "r.yaml").daten == {"06413000": 1}


# ------------------------------------------------------------------------------------------ Abgleich mit den Daten

def test_kreis_ags_mit_typ_gemeinde():
    m = meldungen(name="Main-Kinzig-Kreis", ags="06435", typ="gemeinde")
    assert m[0].fundstelle.feld == "typ" and "Main-Kinzig-Kreis" in m[0].text and "typ: landkreis" in m[0].hinweis


def test_gemeinde_ags_mit_typ_landkreis():
    assert "passt nicht" in meldungen(name="Offenbach am Main", ags="06413000", typ="landkreis")[0].text


def test_fremder_ags_unter_anderem_namen():
    m = meldungen(name="Frankfurt am Main", ags="06413000", typ="kreisfreie_stadt")
    assert m[0].fundstelle.feld == "name" and "Offenbach am Main" in m[0].text


def test_unbekannter_ags():
    assert "gibt es im Gemeindeverzeichnis" in meldungen(ags="06413999")[0].text


@pytest.mark.parametrize("name, ags, typ", [
    ("Offenbach", "06413000", "kreisfreie_stadt"), ("Stadt Offenbach am Main", "06413000", "kreisfreie_stadt"),
    ('"Köln (Variante: Integrationsausschuss gebildet)"', "05315000", "kreisfreie_stadt"),
    ("Kreis Coesfeld", "05558", "landkreis"), ("Landkreis Harz", "15085", "landkreis"),
    ("Görlitz", "14626110", "grosse_kreisstadt"), ("Görlitz", "14626110", "gemeinde"),  # Ober- und Untertyp
    ("Sankt Ingbert", "10045117", "gemeinde"), ("Offenbach am Main", "06413", "kreisfreie_stadt"),
])
def test_passende_profile_bleiben_gueltig(name, ags, typ):
    land = {"05": "NW", "06": "HE", "10": "SL", "14": "SN", "15": "ST"}[ags[:2]]
    assert profil(name=name, ags=ags, typ=typ, land=land).ags == ags


def test_jedes_beispielprofil_passt_zu_seinen_daten():
    from .conftest import BEISPIELE

    for datei in sorted(BEISPIELE.glob("*.yaml")):
        lade_profil(datei)


def test_merkmal_quellen_nur_fuer_bekannte_merkmale():
    m = meldungen(zusatz="merkmal_quellen:\n  erfunden: Rat\n")
    assert m[0].fundstelle.feld == "merkmal_quellen" and "erfunden" in m[0].text


def test_stichtag_der_zahlen_nicht_in_der_zukunft():
    morgen = dt.date.today() + dt.timedelta(days=1)
    m = meldungen(zusatz=f"stichtag_daten: {morgen.isoformat()}\n")
    assert m[0].fundstelle.feld == "stichtag_daten" and "Zukunft" in m[0].text
    assert profil(zusatz=f"stichtag_daten: {dt.date.today().isoformat()}\n").stichtag_daten == dt.date.today()


@pytest.mark.parametrize("feld, wert, teil", [("name", "x" * 201, "höchstens 200"), ("quelle", "q" * 2001, "2.000")])
def test_texte_sind_begrenzt(feld, wert, teil):
    zusatz = f"{feld}: {wert}\n" if feld != "name" else ""
    m = meldungen(name=wert if feld == "name" else "Musterstadt", zusatz=zusatz)
    assert m[0].fundstelle.feld == feld and teil in m[0].text


# ------------------------------------------------------------------------------------------ Spannen und eigene Zahlen

def _spanne(ausgabe: str, was: str) -> tuple[int, int]:
    # „944 ausländische Einwohner (94,40 %; Spanne 838 bis 1.000)“ (Kopf des Berichts aus dem Berichtsmodell)
    treffer = re.search(rf"{was} \((?:[^;)]*; )?Spanne ([\d.]+) bis ([\d.]+)\)", ausgabe.replace("\n  ", " "))
    assert treffer, ausgabe[:600]
    return int(treffer.group(1).replace(".", "")), int(treffer.group(2).replace(".", ""))


def test_eigene_einwohner_begrenzen_die_spanne_der_auslaendischen():
    lauf = CliRunner().invoke(main, ["check", "--ags", "10041511", "--einwohner", "1000", "--stichtag", "2025-06-01"])
    assert lauf.exit_code == 0, lauf.output
    von, bis = _spanne(lauf.stdout, "ausländische Einwohner")
    assert von <= bis <= 1000


def test_eigene_auslaendische_heben_die_untere_einwohnerzahl():
    from engine.kommunen.suche import finde_ags

    kommune = finde_ags("10041511").profil(dt.date(2025, 6, 1))
    e_von, e_bis = kommune.spanne("einwohner")
    eigen = mit_eigenen_zahlen(kommune, None, e_von + 1)
    assert eigen.spanne("einwohner") == (e_von + 1, e_bis) and eigen.spanne("auslaendische_einwohner") == (e_von + 1,) * 2


# ------------------------------------------------------------------------------------------ Begrenzte Meldungen

def test_fehlerliste_ist_begrenzt():
    daten = {"name": "Viele", "land": "HE", "typ": "gemeinde", "einwohner": 2, "auslaendische_einwohner": 1}
    daten.update({f"k{i}": i for i in range(25_000)})
    with pytest.raises(EingabeFehler) as info:
        profil_aus_dokument(lese_text(json.dumps(daten), "p.json"))
    m = info.value.meldungen
    assert len(m) == MAX_MELDUNGEN + 1 and "24.950 weitere Meldungen" in m[-1].text
    assert len(str(info.value)) < 10_000


def test_knotengrenze_fuer_eingaben_aus_dem_netz():
    text = "l: [" + ",".join(["1"] * 6000) + "]\n"
    with pytest.raises(EingabeFehler, match="Zu viele Werte"):
        lese_text(text, "p.yaml", max_knoten=5000)
    assert len(lese_text(text, "p.yaml").daten["l"]) == 6000  # ohne Grenze (Dateien) wie bisher


# ------------------------------------------------------------------------------------------ Stellen im Kostenmodell

MODELL = {"groesse": "einwohner", "kosten_je_stelle_von": 50_000, "kosten_je_stelle_bis": 70_000,
          "quelle_kosten": "Annahme für diesen Test"}


@pytest.mark.parametrize("stellen", ["6,5", "abc", "NaN", "Infinity", "50%", "1e-13", 1e-13, -6.5, 9e12, True,
                                     float("nan"), float("inf"), 1.125, 1001, None, [1]])
def test_ungueltige_stellen(stellen):
    with pytest.raises(ValidationError):
        Kostenmodell.model_validate(dict(MODELL, stufen=[{"ab": 0, "stellen": stellen}]))
    with pytest.raises(ValidationError):
        Betragsparameter.model_validate({"gueltig_ab": "2027-01-01", "berechnung": "je_stelle", "betrag": 1,
                                         "stellen": stellen} if stellen is not None else
                                        {"gueltig_ab": "2027-01-01", "berechnung": "je_stelle", "stellen": "x"})


@pytest.mark.parametrize("stellen, bruch", [(0, 0), (1, 1), (1.5, "3/2"), (0.25, "1/4"), (6.5, "13/2"), (0.1, "1/10"),
                                            (1000, 1000), (999.99, "99999/100")])
def test_gueltige_stellen_exakt(stellen, bruch):
    from fractions import Fraction

    modell = in_laufzeit(Kostenmodell.model_validate(dict(MODELL, stufen=[{"ab": 0, "stellen": stellen}])))
    assert modell.stellen(10) == Fraction(bruch) == stellenbruch(stellen)
