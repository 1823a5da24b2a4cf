"""Webseite und JSON-API im Prozess (Issue 12): jeder Endpunkt, jeder Fehlerweg, und die API liefert genau das
Dokument von ``check --format json``."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from cli.main import main  # noqa: E402
from web.app import erstelle_app  # noqa: E402
from web.grenzen import MAX_KOERPER, MAX_PARAMETER, MAX_URL  # noqa: E402

from .conftest import WURZEL  # noqa: E402

STEUERZEICHEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="module")
def client():
    return TestClient(erstelle_app(), raise_server_exceptions=False)


def _check_json(*argumente: str) -> str:
    lauf = CliRunner().invoke(main, ["check", *argumente, "--format", "json"], catch_exceptions=False)
    assert lauf.exit_code == 0, lauf.output
    return lauf.stdout


# ------------------------------------------------------------------------------------------------ API: Prüfung

def test_pruefung_ist_genau_das_dokument_von_check(client):
    antwort = client.get("/api/v1/pruefung", params={"ags": "06413000", "stichtag": "2025-06-01"})
    assert antwort.status_code == 200
    assert antwort.headers["content-type"].startswith("application/json")
    assert antwort.text == _check_json("--ags", "06413000", "--stichtag", "2025-06-01")


def test_pruefung_mit_merkmalen_und_eigenen_zahlen_wie_check(client):
    antwort = client.get("/api/v1/pruefung", params=[
        ("ags", "05315000"), ("stichtag", "2025-06-01"), ("merkmal", "integrationsausschuss_gebildet=ja"),
        ("auslaendische_einwohner", "4999")])
    assert antwort.status_code == 200
    erwartet = json.loads(_check_json("--ags", "05315000", "--stichtag", "2025-06-01", "--merkmal",
                                      "integrationsausschuss_gebildet=ja", "--auslaendische-einwohner", "4999"))
    daten = antwort.json()
    # einziger gewollter Unterschied: die Herkunft der Tatsache heißt auf dem Web „Formular“ statt „--merkmal“
    assert json.dumps(daten).replace("(Formular)", "(--merkmal)") == json.dumps(erwartet)


def test_profil_per_post_wie_check_mit_profildatei(client):
    profil = WURZEL / "kommunen_examples" / "offenbach-am-main.yaml"
    antwort = client.post("/api/v1/pruefung?stichtag=2024-06-01", content=profil.read_bytes(),
                          headers={"content-type": "application/yaml"})
    assert antwort.status_code == 200, antwort.text
    assert antwort.text == _check_json(str(profil), "--stichtag", "2024-06-01")


def test_fehler_im_profil_nennen_zeile_und_spalte(client):
    antwort = client.post("/api/v1/pruefung", content=b'{"name": "X", "land": "HE", "typ": "gemeinde",\n'
                                                       b' "einwohner": -5, "auslaendische_einwohner": 1}')
    assert antwort.status_code == 400
    fehler = antwort.json()["fehler"]
    assert fehler[0]["ort"] == "Profil" and fehler[0]["zeile"] == 2 and fehler[0]["feld"] == "einwohner"
    assert "mindestens 1" in fehler[0]["meldung"]


@pytest.mark.parametrize("parameter, feld, teil", [
    ({"ags": "06413000", "stichtag": "31.02.2025"}, "stichtag", "gibt es nicht"),
    ({"ags": "06413000", "stichtag": "9999-12-01"}, "stichtag", "außerhalb des unterstützten Zeitraums"),
    ({"ags": "06413000", "merkmal": "gibtsnicht=ja"}, "merkmal", "unbekanntes Merkmal"),
    ({"ags": "06413000", "merkmal": "integrationsausschuss_gebildet=vielleicht"}, "merkmal", "ja, nein oder unbekannt"),
    ({"ags": "06413000", "einwohner": "viele"}, "einwohner", "keine Anzahl"),
    ({"ags": "06413000", "einwohner": "5"}, None, "als Einwohner (5)"),
    ({"ags": "06413000", "wer": "ich"}, "wer", "unbekannter Parameter"),
])
def test_falsche_angaben_ergeben_400_mit_deutscher_meldung(client, parameter, feld, teil):
    antwort = client.get("/api/v1/pruefung", params=parameter)
    assert antwort.status_code == 400
    fehler = antwort.json()["fehler"]
    assert any(teil in f["meldung"] for f in fehler), fehler
    if feld:
        assert any(f.get("feld") == feld for f in fehler)


def test_unbekannter_ags_ist_404(client):
    antwort = client.get("/api/v1/pruefung", params={"ags": "99999999"})
    assert antwort.status_code == 404 and "99999999" in antwort.json()["fehler"][0]["meldung"]


# ------------------------------------------------------------------------------------------------ API: übrige

def test_kommunensuche(client):
    treffer = client.get("/api/v1/kommunen", params={"suche": "Offenbach"}).json()["treffer"]
    assert {"06413000", "06438"} <= {t["ags"] for t in treffer}
    assert client.get("/api/v1/kommunen", params={"suche": "0641", "anzahl": 3}).json()["treffer"][0]["ags"].startswith("0641")
    assert client.get("/api/v1/kommunen", params={"suche": "x" * 101}).status_code == 400
    assert client.get("/api/v1/kommunen", params={"suche": "Köln", "anzahl": 0}).status_code == 400


def test_regeln_und_eine_regel(client):
    alle = client.get("/api/v1/regeln").json()
    assert alle["anzahl"] == len(alle["regeln"]) > 200
    hessen = client.get("/api/v1/regeln", params={"land": "HE"}).json()["regeln"]
    assert hessen and all(r["land"] == "HE" for r in hessen)
    regel = client.get("/api/v1/regeln/he.hgo.84.auslaenderbeirat").json()
    assert regel["regel"]["versionen"][0]["zitat"]["wortlaut"].startswith("In Gemeinden mit mehr als 1.000")
    assert "Fassung 1: gültig vom 01.04.1993" in regel["prosa"]
    fehlt = client.get("/api/v1/regeln/gibt.es.nicht")
    assert fehlt.status_code == 404 and "Keine Regel" in fehlt.json()["fehler"][0]["meldung"]


def test_merkmale(client):
    merkmale = {m["name"] for m in client.get("/api/v1/merkmale").json()["merkmale"]}
    assert "integrationsausschuss_gebildet" in merkmale


def test_openapi_auf_deutsch(client):
    beschreibung = client.get("/api/v1/openapi.json").json()
    assert set(beschreibung["paths"]) >= {"/api/v1/pruefung", "/api/v1/kommunen", "/api/v1/regeln",
                                         "/api/v1/regeln/{regel_id}"}
    assert "Keine Rechtsberatung" in beschreibung["info"]["description"]
    parameter = {p["name"]: p for p in beschreibung["paths"]["/api/v1/pruefung"]["get"]["parameters"]}
    assert "Gemeindeschlüssel" in parameter["ags"]["description"]
    assert not any(p.startswith("/kommune") for p in beschreibung["paths"])  # Seiten gehören nicht zur API


# ------------------------------------------------------------------------------------------------ Grenzen

def test_grenzen_der_anfrage(client):
    assert client.get("/api/v1/kommunen?suche=" + "a" * MAX_URL).status_code == 414
    viele = "&".join(f"merkmal=x{i}=ja" for i in range(MAX_PARAMETER + 5))
    antwort = client.get("/api/v1/pruefung?ags=06413000&" + viele)
    assert antwort.status_code == 400 and "Zu viele Parameter" in antwort.json()["fehler"][0]["meldung"]
    gross = client.post("/api/v1/pruefung", content=b"x" * (MAX_KOERPER + 1))
    assert gross.status_code == 413 and "zu groß" in gross.json()["fehler"][0]["meldung"]

    def stueckweise():
        for _ in range(MAX_KOERPER // 1024 + 2):
            yield b"#" * 1024

    ohne_laenge = client.post("/api/v1/pruefung", content=stueckweise())
    assert ohne_laenge.status_code == 413


def test_yaml_anker_und_steuerzeichen_im_post(client):
    bombe = b"a: &a [1, 2]\nb: *a\n"
    antwort = client.post("/api/v1/pruefung", content=bombe)
    assert antwort.status_code == 400 and "Anker" in antwort.json()["fehler"][0]["meldung"]
    profil = json.dumps({"name": "Titel\x1b]0;x\x07 \u202eStadt", "land": "HE", "typ": "gemeinde",
                         "einwohner": 2000, "auslaendische_einwohner": 100}).encode()
    antwort = client.post("/api/v1/pruefung", content=profil)
    assert antwort.status_code == 200
    assert "\\u001b" in antwort.text and "\x1b" not in antwort.text  # JSON behält die Daten, escaped wie JSON


# ------------------------------------------------------------------------------------------------ Seiten

def test_startseite_mit_beschrifteten_feldern(client):
    seite = client.get("/").text
    assert '<html lang="de">' in seite and '<main id="inhalt"' in seite and 'href="#inhalt"' in seite
    assert '<label for="q">' in seite and '<label for="stichtag">' in seite and 'role="search"' in seite


def test_suche_leitet_bei_eindeutigem_namen_weiter(client):
    antwort = client.get("/suche", params={"q": "Köln", "stichtag": "2025-06-01"}, follow_redirects=False)
    assert antwort.status_code == 303 and antwort.headers["location"] == "/kommune/05315000?stichtag=2025-06-01"
    aus_liste = client.get("/suche", params={"q": "Landkreis Offenbach (06438)"}, follow_redirects=False)
    assert aus_liste.headers["location"].startswith("/kommune/06438?")


def test_suche_zeigt_mehrdeutige_treffer(client):
    seite = client.get("/suche", params={"q": "Offenbach"}).text
    assert "/kommune/06413000" in seite and "/kommune/06438" in seite


def test_ergebnisseite_mit_blick_zitaten_und_formular(client):
    seite = client.get("/kommune/05315000", params={"stichtag": "2025-06-01"}).text
    assert "<h1>Köln</h1>" in seite and "Auf einen Blick" in seite
    assert "§ 27 Abs. 1 Satz 1 GO NRW" in seite and "„In einer Gemeinde, in der mindestens 5000" in seite
    assert 'name="integrationsausschuss_gebildet" value="unbekannt" checked' in seite
    from engine.kommunen.daten import nach_ags
    from engine.zahlen import zahl

    von, bis = nach_ags("05315000").profil(dt.date(2025, 6, 1)).spanne("auslaendische_einwohner")
    assert f"Spanne {zahl(von)} bis {zahl(bis)}" in seite
    assert 'href="/regeln/nw.go.27.integrationsrat"' in seite
    assert "--auslaendische-einwohner" not in seite  # Optionen der Kommandozeile heißen hier Formularfelder


def test_antwort_auf_offene_frage_wertet_neu_aus_und_bleibt_in_der_adresse(client):
    seite = client.get("/kommune/05315000", params={"stichtag": "2025-06-01",
                                                     "integrationsausschuss_gebildet": "ja"}).text
    assert "ENTFÄLLT (muss)" in seite
    assert 'name="integrationsausschuss_gebildet" value="ja" checked' in seite
    assert "integrationsausschuss_gebildet=ja" in seite  # Links auf Druckansicht und Downloads behalten sie


def test_eigene_zahlen_im_formular(client):
    seite = client.get("/kommune/06435011", params={"stichtag": "2025-06-01", "auslaendische_einwohner": "1004"}).text
    assert "1.004" in seite and "eigene Angabe" in seite
    falsch = client.get("/kommune/06435011", params={"einwohner": "abc"})
    assert falsch.status_code == 400 and "keine Anzahl" in falsch.text and 'role="alert"' in falsch.text


def test_druckansicht_hat_alles_aufgeklappt(client):
    seite = client.get("/kommune/06413000/druck", params={"stichtag": "2025-06-01"}).text
    assert "Anlage zur Beschlussvorlage" in seite and "<details class=\"zitat\" open>" in seite
    assert "Hauptnavigation" not in seite


def test_downloads(client):
    md = client.get("/kommune/06413000/bericht.md", params={"stichtag": "2025-06-01"})
    assert md.status_code == 200 and md.text.startswith("# Pflichten und Optionen: Offenbach am Main")
    assert "attachment" in md.headers["content-disposition"]
    docx = client.get("/kommune/06413000/bericht.docx", params={"stichtag": "2025-06-01"})
    assert docx.content[:2] == b"PK"
    daten = client.get("/kommune/06413000/bericht.json", params={"stichtag": "2025-06-01"})
    assert daten.text == _check_json("--ags", "06413000", "--stichtag", "2025-06-01")
    assert client.get("/kommune/06413000/bericht.pdf").status_code == 400


def test_regelseiten_abdeckung_und_land(client):
    assert "he.hgo.84.auslaenderbeirat" in client.get("/regeln").text
    regel = client.get("/regeln/he.hgo.84.auslaenderbeirat").text
    assert "Wortlaut: „In Gemeinden mit mehr als 1.000" in regel
    assert client.get("/regeln/gibt.es.nicht").status_code == 404
    abdeckung = client.get("/abdeckung", params={"stichtag": "2025-06-01"}).text
    assert "<th scope=\"row\"><a href=\"/laender/HE\">Hessen</a></th>" in abdeckung
    assert client.get("/laender").status_code == 200
    assert client.get("/laender/XX").status_code == 400


def test_landesuebersicht_zaehlt_wie_batch(client, tmp_path):
    seite = client.get("/laender/SL", params={"stichtag": "2025-06-01"}).text
    lauf = CliRunner().invoke(main, ["batch", "--land", "SL", "--stichtag", "2025-06-01", "--ausgabe",
                                     str(tmp_path / "sl.csv")], catch_exceptions=False)
    zeile = next(z for z in lauf.stdout.splitlines() if "(sl.ksvg.50.integrationsbeirat)" in z)
    gilt = int(re.match(r"\s*\S+\s+(\d+)", zeile).group(1))
    offen = re.search(r"unbestimmt (\d+)", zeile)
    assert re.search(rf'/regeln/sl\.ksvg\.50\.integrationsbeirat">[^<]+</a></td>\s*<td>[^<]*</td>\s*'
                     rf'<td class="zahl">{gilt}</td><td class="zahl">{offen.group(1) if offen else 0}</td>',
                     seite), zeile


def test_steuerzeichen_in_parametern_erscheinen_sichtbar(client):
    antwort = client.get("/kommune/06413000", params={"stichtag": "\x1b[2J\u202e"})
    assert antwort.status_code == 400
    assert "\\u001b" in antwort.text and not STEUERZEICHEN.search(antwort.text)


def test_unbekannte_seite_und_methode_deutsch(client):
    assert "gibt es nicht" in client.get("/nirgends").text
    antwort = client.delete("/api/v1/pruefung")
    assert antwort.status_code == 405 and "nicht erlaubt" in antwort.json()["fehler"][0]["meldung"]


# ------------------------------------------------------------------------------------------------ Fuzz

_teile = st.one_of(st.text(max_size=30), st.sampled_from(["", "=", "==", "%", "%ZZ", "06413000", "2025-06-01", "ja",
                                                           "\x00", "\x1b[2J", "\ud800", "../../etc/passwd"]))
_namen = st.one_of(st.sampled_from(["ags", "stichtag", "merkmal", "einwohner", "auslaendische_einwohner", "suche",
                                    "anzahl", "land", "integrationsausschuss_gebildet"]), st.text(max_size=10))
_wege = st.sampled_from(["/api/v1/pruefung", "/api/v1/kommunen", "/api/v1/regeln", "/api/v1/regeln/{}",
                         "/kommune/{}", "/kommune/{}/druck", "/kommune/{}/bericht.{}", "/laender/{}", "/suche",
                         "/abdeckung", "/regeln/{}"])


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(weg=_wege, platzhalter=st.lists(_teile, min_size=2, max_size=2),
       parameter=st.lists(st.tuples(_namen, _teile), max_size=6),
       methode=st.sampled_from(["GET", "GET", "POST"]), koerper=st.binary(max_size=300))
def test_verformte_anfragen_ergeben_nie_500(client, weg, platzhalter, parameter, methode, koerper):
    """Mindestens 150 verformte Anfragen: 2xx/3xx oder 4xx mit deutscher Meldung, nie 500, nie ein Traceback."""
    from urllib.parse import quote

    pfad = weg.format(*(quote(p.encode("utf-8", "surrogatepass"), safe="") for p in platzhalter))
    abfrage = "&".join(f"{quote(k.encode('utf-8', 'surrogatepass'), safe='')}="
                       f"{quote(v.encode('utf-8', 'surrogatepass'), safe='')}" for k, v in parameter)
    url = pfad + ("?" + abfrage if abfrage else "")
    antwort = client.request(methode, url, content=koerper if methode == "POST" else None)
    assert antwort.status_code < 500, (url, antwort.status_code, antwort.text[:500])
    assert "Traceback" not in antwort.text
    if antwort.status_code >= 400:
        if pfad.startswith("/api/"):
            fehler = antwort.json()["fehler"]
            assert fehler and all(f["meldung"] and "pydantic" not in f["meldung"] for f in fehler)
        else:
            assert 'role="alert"' in antwort.text or antwort.headers["content-type"].startswith("application/json")


_kaputt = st.one_of(
    st.tuples(st.just("ags"), st.text(min_size=1, max_size=20).filter(lambda t: not t.strip().isdigit())),
    st.tuples(st.just("stichtag"), st.text(min_size=1, max_size=20).filter(lambda t: not re.fullmatch(r"[\d.\-\s]+", t))),
    st.tuples(st.just("merkmal"), st.text(min_size=1, max_size=30).filter(lambda t: "=" not in t)),
    st.tuples(st.just("einwohner"), st.one_of(st.integers(max_value=0).map(str), st.text(min_size=1, max_size=12).filter(
        lambda t: not t.strip().isdigit()))),
    st.tuples(st.text(min_size=1, max_size=12).filter(lambda t: t not in ("ags", "stichtag", "merkmal", "einwohner",
                                                                          "auslaendische_einwohner")), st.text(max_size=8)),
)
_STATUS: dict[int, int] = {}


@settings(max_examples=120, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(kaputt=st.lists(_kaputt, min_size=1, max_size=3), gueltig=st.booleans(), methode=st.sampled_from(["GET", "POST"]),
       koerper=st.one_of(st.binary(max_size=200), st.text(max_size=200).map(lambda t: t.encode("utf-8", "replace"))))
def test_hundert_verformte_api_anfragen_sind_4xx_mit_deutscher_meldung(client, kaputt, gueltig, methode, koerper):
    """Jede Anfrage trägt mindestens eine falsche Angabe (oder einen unbrauchbaren Körper): 4xx, JSON, deutsche
    Meldung mit Feld – keine 500."""
    parameter = ([("ags", "06413000")] if gueltig and methode == "GET" else []) + kaputt
    if methode == "POST":
        parameter = [p for p in parameter if p[0] != "ags"]
        antwort = client.post("/api/v1/pruefung", params=parameter, content=koerper or b"[]")
    else:
        antwort = client.get("/api/v1/pruefung", params=parameter)
    _STATUS[antwort.status_code] = _STATUS.get(antwort.status_code, 0) + 1
    assert 400 <= antwort.status_code < 500, (parameter, koerper, antwort.status_code, antwort.text[:300])
    fehler = antwort.json()["fehler"]
    assert fehler and all(f["meldung"] and "pydantic" not in f["meldung"] and "Traceback" not in f["meldung"]
                          for f in fehler)


def test_suche_fragt_meinten_sie_wie_die_cli(client):
    seite = client.get("/suche", params={"q": "Kölln"}, follow_redirects=False)
    assert seite.status_code == 200 and "Meinten Sie:" in seite.text
    assert seite.text.index("/kommune/05315000") < seite.text.index("/kommune/01056031")  # Köln vor Kölln-Reisiek
