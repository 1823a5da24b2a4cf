"""Eigene Zahl mit Zählweise und Stand (Issue 20): der Bericht sagt, welche Zahl er benutzt hat – auf der
Kommandozeile, im Profil und über Formular/API."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cli.main import main
from engine.fehler import EingabeFehler
from engine.kommunen.profil import lade_profil, mit_eigenen_zahlen


def _json(*argumente: str) -> dict:
    lauf = CliRunner().invoke(main, ["check", "--format", "json", "--stichtag", "2025-06-01", *argumente])
    assert lauf.exit_code == 0, lauf.output
    return json.loads(lauf.output)


def test_kommandozeile_nennt_zaehlweise_und_stand():
    daten = _json("--ags", "06435011", "--auslaendische-einwohner", "1004", "--zaehlweise", "melderegister",
                  "--stand-der-zahl", "30.06.2025")
    assert daten["kommune"]["auslaendische_einwohner"] == 1004
    assert "ausländische Einwohner 1.004 (eigene Angabe: Melderegister, Stand 30.06.2025)" in daten["kommune"]["quelle"]


def test_ohne_angabe_sagt_der_bericht_dass_zaehlweise_und_stand_fehlen():
    daten = _json("--ags", "06435011", "--auslaendische-einwohner", "1004")
    assert "(eigene Angabe: Zählweise nicht angegeben, Stand nicht angegeben)" in daten["kommune"]["quelle"]


def test_mitgelieferte_zahl_heisst_geschaetzte_gemeldete_zahl():
    daten = _json("--ags", "06435011")
    assert "ausländische Einwohner: geschätzte gemeldete Zahl (Melderegister)" in daten["kommune"]["quelle"]


def test_zaehlweise_ohne_zahl_ist_ein_fehler():
    lauf = CliRunner().invoke(main, ["check", "--ags", "06435011", "--zaehlweise", "azr"])
    assert lauf.exit_code != 0 and "bitte die Zahl mit angeben" in lauf.output


def test_mit_eigenen_zahlen_lehnt_zaehlweise_ohne_zahl_ab(tmp_path):
    kommune = lade_profil(_profil(tmp_path, ""))
    with pytest.raises(EingabeFehler):
        mit_eigenen_zahlen(kommune, 20_000, None, zaehlweise="melderegister")


def _profil(tmp_path, zusatz: str):
    datei = tmp_path / "p.yaml"
    datei.write_text("name: Musterstadt\nland: HE\ntyp: gemeinde\neinwohner: 20000\nauslaendische_einwohner: 1500\n"
                     + zusatz, encoding="utf-8")
    return datei


def test_profil_mit_zaehlweise_und_stand(tmp_path):
    kommune = lade_profil(_profil(tmp_path, "auslaendische_einwohner_zaehlweise: azr\n"
                                            "auslaendische_einwohner_stand: 31.12.2024\nquelle: Kreisverwaltung\n"))
    assert kommune.auslaendische_einwohner_zaehlweise == "azr"
    assert kommune.quelle.startswith("ausländische Einwohner 1.500 (Angabe im Profil: Ausländerzentralregister, "
                                     "Stand 31.12.2024); Kreisverwaltung")


def test_profil_mit_unbekannter_zaehlweise_nennt_das_feld(tmp_path):
    with pytest.raises(EingabeFehler) as fehler:
        lade_profil(_profil(tmp_path, "auslaendische_einwohner_zaehlweise: volkszaehlung\n"))
    assert any(m.fundstelle.feld == "auslaendische_einwohner_zaehlweise" for m in fehler.value.meldungen)


def test_api_nimmt_zaehlweise_und_stand():
    pytest.importorskip("fastapi")
    pytest.importorskip("httpx")
    from fastapi.testclient import TestClient

    from web.app import erstelle_app

    client = TestClient(erstelle_app())
    antwort = client.get("/api/v1/pruefung", params={"ags": "06435011", "stichtag": "2025-06-01",
                                                     "auslaendische_einwohner": "1004",
                                                     "auslaendische_einwohner_zaehlweise": "melderegister",
                                                     "auslaendische_einwohner_stand": "2025-06-30"})
    assert antwort.status_code == 200, antwort.text
    assert "(eigene Angabe: Melderegister, Stand 30.06.2025)" in antwort.json()["kommune"]["quelle"]
    falsch = client.get("/api/v1/pruefung", params={"ags": "06435011", "auslaendische_einwohner": "1004",
                                                    "auslaendische_einwohner_zaehlweise": "volkszaehlung"})
    assert falsch.status_code == 400 and "unbekannte Zählweise" in falsch.text
    seite = client.get("/kommune/06435011", params={"auslaendische_einwohner": "1004",
                                                    "auslaendische_einwohner_zaehlweise": "azr"}).text
    assert '<option value="azr" selected>' in seite and "Ausländerzentralregister" in seite
