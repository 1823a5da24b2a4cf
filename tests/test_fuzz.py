"""Fuzz-Kampagne (Issues 14 und 21): feindliche Profile, Regeldateien, Kommandozeilen-Argumente und rohe
HTTP-Anfragen an einen echten Server auf 127.0.0.1, erzeugt mit hypothesis.

Jedes Beispiel endet in genau einer erlaubten Ergebnisklasse – angenommen (und dann vollständig ausgewertet und in
Text, Markdown und JSON ausgegeben, ohne ein Steuerzeichen im Text) oder abgelehnt mit deutscher Meldung und
Fundstelle. Jede andere Ausnahme, ein Hänger oder ein Absturz lässt den Test scheitern.

Der Server bekommt jede Anfrage über einen eigenen Socket, eine nach der anderen (begrenzte Last über Loopback),
in der langen Kampagne zum Schluss einen Stoß von 200 gleichzeitigen; erlaubt sind eine Antwort < 500 (bei 4xx mit
deutscher Meldung), 503 mit ``Retry-After``, oder das Trennen einer unvollständigen Anfrage. Am Ende lebt der Server,
und sein Protokoll hat keinen Traceback.

Im normalen Testlauf laufen wenige Beispiele je Art. Die lange Kampagne (mindestens 10.000 Profile, 2.000 Regeldateien,
1.000 Aufrufe, 2.000 verdorbene Einträge des Zwischenspeichers, 3.000 HTTP-Anfragen) läuft mit

    KOMMUNALPFLICHTEN_FUZZ=lang timeout 3600 python -m pytest -q -s tests/test_fuzz.py

und druckt am Ende die Zahl der Beispiele je Ergebnisklasse (-s zeigt sie an).
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import os
import re
import string
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli.main import main
from engine.ausgabe.json_vertrag import bericht_json
from engine.ausgabe.markdown import markdown_bericht
from engine.ausgabe.text import text_bericht
from engine.auswertung.bericht import erstelle_bericht
from engine.auswertung.durable import DurableAuswerter
from engine.fehler import EingabeFehler, EngineFehler, KommunalpflichtenFehler
from engine.kommunen.profil import Kommune, profil_aus_dokument
from engine.regeln.basis import lade_regelbasis, sammle_regelbasis
from engine.yamlquelle import lese_text

from .strategien import KOMBINATIONEN
from .test_robustheit_regeldateien import GUELTIG, mutierte_regeln

LANG = os.environ.get("KOMMUNALPFLICHTEN_FUZZ", "").lower() == "lang"
ANZAHL = {"profile": 10_000 if LANG else 150, "regeln": 2_000 if LANG else 40, "cli": 1_000 if LANG else 30,
          "web": 3_000 if LANG else 60}
STEUERZEICHEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
ERGEBNISSE: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
STICHTAG = dt.date(2025, 6, 1)


@pytest.fixture(scope="module", autouse=True)
def _zusammenfassung():
    yield
    for art, zaehler in sorted(ERGEBNISSE.items()):
        gesamt = sum(zaehler.values())
        teile = ", ".join(f"{klasse}: {n}" for klasse, n in zaehler.most_common())
        print(f"\nFuzz {art}: {gesamt} Beispiele – {teile}")
    ziel = os.environ.get("KOMMUNALPFLICHTEN_FUZZ_BERICHT")
    if ziel:
        Path(ziel).write_text(json.dumps({k: dict(v) for k, v in ERGEBNISSE.items()}, indent=2, ensure_ascii=False),
                              encoding="utf-8")


@pytest.fixture(scope="module")
def regelbasis():
    return lade_regelbasis()


# ---------------------------------------------------------------------------------------------------- Profile

feindlicher_text = st.text(
    st.one_of(st.characters(), st.sampled_from(list("\x1b\x07\x00\u202e\u2066\ufeff\ud7ff\n\t\r\"'&*!%@`{}[]:#|>"))),
    max_size=40)
zahlen = st.one_of(st.integers(-5, 12_000_000), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
                   st.sampled_from([0, 1, 1000, 1001, 5000, 10_000_000, 10_000_001, 2**63, -1]))
beliebig = st.recursive(st.one_of(st.none(), st.booleans(), zahlen, feindlicher_text, st.dates()),
                        lambda kinder: st.one_of(st.lists(kinder, max_size=3),
                                                 st.dictionaries(feindlicher_text, kinder, max_size=3)),
                        max_leaves=6)
laender = st.sampled_from(["HE", "NW", "RP", "SL", "BY", "SN", "ST", "BE", "hb", "XX", "", "Hessen"])
typen = st.sampled_from(["gemeinde", "kreisfreie_stadt", "landkreis", "bezirk", "stadtstaat", "Gemeinde", "dorf"])


@st.composite
def profil_daten(draw):
    """Halb plausible Profile (gültige Land/Typ-Paare, Zahlen im Bereich, feindlicher Name) – sie werden angenommen
    und prüfen die Ausgabe –, halb feindliche Werte überall."""
    if draw(st.booleans()):
        land, typ = draw(st.sampled_from(KOMBINATIONEN))
        einwohner = draw(st.integers(1, 4_000_000))
        daten = {"name": draw(feindlicher_text.filter(lambda t: t.strip())), "land": land, "typ": typ,
                 "einwohner": einwohner, "auslaendische_einwohner": draw(st.integers(0, einwohner))}
        if draw(st.booleans()):
            daten["stichtag_daten"] = draw(st.dates(dt.date(1900, 1, 1), dt.date(2199, 12, 31)))
        if draw(st.booleans()):
            daten["quelle"] = draw(feindlicher_text)
        return daten
    daten = {"name": draw(st.one_of(feindlicher_text, st.just("Musterstadt"))),
             "land": draw(laender), "typ": draw(typen),
             "einwohner": draw(zahlen), "auslaendische_einwohner": draw(zahlen)}
    if draw(st.booleans()):
        daten["stichtag_daten"] = draw(st.one_of(st.dates(), zahlen, feindlicher_text))
    if draw(st.booleans()):
        daten["merkmale"] = draw(st.dictionaries(
            st.one_of(st.sampled_from(["eigene_auslaenderbehoerde", "integrationsrat_gebildet", "antrag_gestellt"]),
                      feindlicher_text), st.one_of(st.booleans(), zahlen, st.none(), feindlicher_text), max_size=3))
    if draw(st.booleans()):
        daten["unsicherheit"] = draw(beliebig)
    for _ in range(draw(st.integers(0, 2))):
        daten[draw(feindlicher_text)] = draw(beliebig)
    for schluessel in draw(st.lists(st.sampled_from(sorted(daten)), max_size=2)):
        daten.pop(schluessel, None)
    return daten


@st.composite
def profil_texte(draw):
    """Gültiges YAML aus feindlichen Werten, dazu Eingriffe auf Textebene (Anker, Tiefe, Steuerzeichen, Abschneiden)."""
    daten = draw(profil_daten())
    try:
        text = yaml.safe_dump(daten, allow_unicode=draw(st.booleans()), default_flow_style=draw(st.booleans()))
    except (yaml.YAMLError, ValueError):
        text = json.dumps(daten, default=str)
    eingriff = draw(st.sampled_from(["keiner", "keiner", "anker", "tiefe", "einfuegen", "abschneiden", "json"]))
    if eingriff == "anker":
        text = "x: &a [1, 2]\ny: *a\n" + text
    elif eingriff == "tiefe":
        n = draw(st.integers(30, 3000))
        text += "tief: " + "[" * n + "]" * n + "\n"
    elif eingriff == "einfuegen":
        stelle = draw(st.integers(0, len(text)))
        text = text[:stelle] + draw(feindlicher_text) + text[stelle:]
    elif eingriff == "abschneiden":
        text = text[:draw(st.integers(0, len(text)))]
    elif eingriff == "json":
        text = json.dumps(daten, default=str, ensure_ascii=draw(st.booleans()))
    return text


def _auswerten_und_ausgeben(kommune: Kommune, regelbasis) -> None:
    from engine.auswertung.durable import auswerter_fuer

    bericht = erstelle_bericht(kommune, STICHTAG, regelbasis, auswerter_fuer(regelbasis))
    for text in (text_bericht(bericht, ausfuehrlich=True), markdown_bericht(bericht)):
        assert not STEUERZEICHEN.search(text), "Steuerzeichen aus der Eingabe in der Ausgabe"
    json.dumps(bericht_json(bericht), ensure_ascii=False)


@settings(max_examples=ANZAHL["profile"], deadline=None, derandomize=not LANG,
          suppress_health_check=list(HealthCheck))
@given(text=profil_texte())
def test_feindliche_profile(text, regelbasis):
    try:
        kommune = profil_aus_dokument(lese_text(text, "profil.yaml"))
    except EingabeFehler as fehler:
        assert fehler.meldungen and all(m.fundstelle.datei == "profil.yaml" for m in fehler.meldungen)
        assert all(m.text and "pydantic" not in m.text and "Traceback" not in m.text for m in fehler.meldungen)
        ERGEBNISSE["Profile"]["abgelehnt mit Fundstelle"] += 1
        return
    _auswerten_und_ausgeben(kommune, regelbasis)
    ERGEBNISSE["Profile"]["angenommen und ausgewertet"] += 1


# ---------------------------------------------------------------------------------------------------- Regeldateien

feindliche_bedingungen = st.one_of(
    st.builds(lambda f, op, w: {"feld": f, "op": op, "wert": w},
              st.sampled_from(["einwohner", "auslaendische_einwohner", "auslaenderanteil", "typ",
                               "eigene_auslaenderbehoerde", "unbekannt"]),
              st.sampled_from(["gt", "gte", "lt", "lte", "eq", "ne", "in", "like"]),
              st.one_of(zahlen, feindlicher_text, st.sampled_from(["Infinity", "-inf", "NaN", "1e999999999", "10 %"]),
                        st.lists(st.integers(0, 2000), min_size=0, max_size=700))),
    st.builds(lambda n, k: {"alle": [{"eine": [{"feld": "einwohner", "op": "gt", "wert": i},
                                               {"feld": "auslaendische_einwohner", "op": "gt", "wert": i}]}
                                     for i in range(n)]} if k else {"eine": [{"feld": "einwohner", "op": "gt", "wert": i}
                                                                             for i in range(n)]},
              st.integers(0, 40), st.booleans()),
)


@st.composite
def feindliche_regelsaetze(draw):
    """Eine bis viele Regeln für Hessen: mutierte Vorlagen, feindliche Bedingungen und Daten, gleichartige Massen."""
    regeln = []
    for i in range(draw(st.sampled_from([1, 1, 1, 2, 5, 60]))):
        daten = draw(mutierte_regeln()) if draw(st.booleans()) else json.loads(json.dumps(GUELTIG, default=str))
        if isinstance(daten, dict):
            daten["id"] = f"he.gen.r{i}"
            versionen = daten.get("versionen")
            if isinstance(versionen, list) and versionen and isinstance(versionen[0], dict):
                if draw(st.booleans()):
                    versionen[0]["bedingung"] = draw(feindliche_bedingungen)
                if draw(st.booleans()):
                    versionen[0]["gueltig_ab"] = draw(st.sampled_from(["0001-01-01", "9999-12-31", "1900-01-01", 0]))
                if draw(st.booleans()):
                    versionen[0]["gueltig_bis"] = draw(st.sampled_from(["9999-12-31", "2019-12-31", "2030-01-01"]))
        regeln.append(daten)
    return regeln


@settings(max_examples=ANZAHL["regeln"], deadline=None, derandomize=not LANG,
          suppress_health_check=list(HealthCheck))
@given(regeln=feindliche_regelsaetze())
def test_feindliche_regeldateien(regeln, tmp_path_factory):
    ordner = tmp_path_factory.mktemp("regeln")
    (ordner / "hessen").mkdir()
    for i, daten in enumerate(regeln):
        try:
            text = yaml.safe_dump(daten, allow_unicode=True)
        except (yaml.YAMLError, ValueError):
            text = str(daten)
        (ordner / "hessen" / f"r{i}.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
    regelbasis, meldungen = sammle_regelbasis([ordner])
    if regelbasis is None:
        assert meldungen and all(m.text and m.fundstelle.datei for m in meldungen)
        assert all("Traceback" not in m.text and "pydantic" not in m.text for m in meldungen)
        ERGEBNISSE["Regeldateien"]["abgelehnt mit Fundstelle"] += 1
        return
    auswerter = DurableAuswerter(regelbasis)
    try:
        for einwohner, auslaender, typ in ((20_000, 1_500, "gemeinde"), (500_000, 90_000, "kreisfreie_stadt"),
                                           (1, 0, "gemeinde"), (200_000, 30_000, "landkreis")):
            kommune = Kommune(name="Fuzz", land="HE", typ=typ, einwohner=einwohner, auslaendische_einwohner=auslaender)
            for tag in (dt.date(1950, 1, 1), STICHTAG, dt.date(2199, 12, 31)):
                auswerter.inferiere(kommune, tag)
    except EngineFehler as fehler:
        text = str(fehler)
        assert "HE" in text and "Fehler" in text, text  # Land und Bedeutung, nie ein nackter Code
        ERGEBNISSE["Regeldateien"]["angenommen, von durable-rules mit Land und Grund abgelehnt"] += 1
        return
    finally:
        auswerter.schliessen()
    ERGEBNISSE["Regeldateien"]["angenommen und ausgewertet"] += 1


# ---------------------------------------------------------------------------------------------------- Kommandozeile

optionen = st.lists(st.one_of(
    st.tuples(st.just("--ags"), st.one_of(st.sampled_from(["06413000", "6413000", "064130000000", "0", "99999999"]),
                                           feindlicher_text)),
    st.tuples(st.just("--name"), st.one_of(st.sampled_from(["Offenbach", "Köln", "Saarbrücken", "x"]), feindlicher_text)),
    st.tuples(st.just("--stichtag"), st.one_of(st.sampled_from(["2025-06-01", "31.12.2199", "9999-12-01", "0",
                                                                 "heute", "01.01.1899"]), feindlicher_text)),
    st.tuples(st.sampled_from(["--einwohner", "--auslaendische-einwohner"]),
              st.one_of(st.integers(-10, 10**12).map(str), feindlicher_text)),
    st.tuples(st.just("--merkmal"), st.one_of(st.sampled_from(["integrationsrat_gebildet=ja", "x=y", "=", "a"]),
                                              feindlicher_text)),
    st.tuples(st.just("--format"), st.sampled_from(["text", "json", "markdown", "pdf", ""])),
    st.tuples(st.just("--ausgabe"), st.sampled_from(["AUSGABE/bericht.md", "AUSGABE/schreibgeschuetzt.md", "AUSGABE",
                                                     "AUSGABE/" + "a" * 300 + ".md", "AUSGABE/fehlt/x.md",
                                                     "AUSGABE/datei.txt/x.md", "/dev/full", "AUSGABE/b\x1b]0;x\x07.md"])),
), min_size=1, max_size=4)


@pytest.fixture(scope="module")
def ausgabeordner(tmp_path_factory):
    """Ziele für --ausgabe: ein Ordner mit einer schreibgeschützten Datei und einer Datei, unter die nichts passt."""
    ordner = tmp_path_factory.mktemp("ausgabe")
    (ordner / "schreibgeschuetzt.md").write_text("alt", encoding="utf-8")
    (ordner / "schreibgeschuetzt.md").chmod(0o444)
    (ordner / "datei.txt").write_text("x", encoding="utf-8")
    return ordner


@settings(max_examples=ANZAHL["cli"], deadline=None, derandomize=not LANG, suppress_health_check=list(HealthCheck))
@given(paare=optionen)
def test_feindliche_kommandozeilen(paare, ausgabeordner):
    argumente = ["check"] + [teil.replace("AUSGABE", str(ausgabeordner)) for paar in paare for teil in paar]
    if "--ags" not in argumente and "--name" not in argumente:
        argumente += ["--ags", "06413000"]
    ergebnis = CliRunner().invoke(main, argumente, catch_exceptions=True)
    ausgabe = ergebnis.output
    assert ergebnis.exit_code in (0, 2), (argumente, ergebnis.exit_code, ausgabe[-1500:], ergebnis.exception)
    assert ergebnis.exception is None or isinstance(ergebnis.exception, SystemExit), repr(ergebnis.exception)
    assert "Traceback" not in ausgabe and "pydantic" not in ausgabe
    if "--format" not in argumente or "text" in argumente or "markdown" in argumente:
        assert not STEUERZEICHEN.search(ausgabe), ausgabe[-500:]
    assert (ausgabeordner / "schreibgeschuetzt.md").read_text(encoding="utf-8") == "alt"
    klasse = "ausgewertet (Exit 0)" if ergebnis.exit_code == 0 else "abgelehnt mit deutscher Meldung (Exit 2)"
    if ergebnis.exit_code == 2:
        assert "Fehler" in ausgabe or "fehler" in ausgabe
    ERGEBNISSE["Kommandozeilen"][klasse] += 1


def test_erlaubte_zeichen_bleiben_lesbar():
    """Umlaute, ß, Emoji und typografische Zeichen sind keine Steuerzeichen – sie bleiben unverändert."""
    name = "Groß-Umstadt – „Ärzte“ 😀"
    assert not STEUERZEICHEN.search(name)
    assert set(string.printable) - set("\t\n\r\x0b\x0c") >= set("abc")


ANZAHL["zwischenspeicher"] = 2_000 if LANG else 40


@pytest.fixture(scope="module")
def echter_eintrag(tmp_path_factory):
    """Ein echter Eintrag der Regelbasis (mitgelieferte Regeln) in einem eigenen Cache-Verzeichnis."""
    from engine.regeln import zwischenspeicher

    ordner = tmp_path_factory.mktemp("cache")
    alt = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(ordner)
    try:
        referenz = lade_regelbasis()
        datei = next((ordner / "kommunalpflichten").glob("regelbasis-*.pickle"))
        yield ordner, datei, datei.read_bytes(), referenz
    finally:
        if alt is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = alt
        assert zwischenspeicher.verzeichnis() is not None or os.environ.get("KOMMUNALPFLICHTEN_CACHE")


@st.composite
def verdorbene_eintraege(draw, echt: bytes):
    """Gekippte Bits, abgeschnitten, verlängert, fremde Bytes oder ein fremdes Pickle an Stelle des Eintrags."""
    import pickle

    art = draw(st.sampled_from(["bits", "abgeschnitten", "verlaengert", "fremd", "pickle"]))
    if art == "bits":
        daten = bytearray(echt)
        for stelle in draw(st.lists(st.integers(0, len(echt) - 1), min_size=1, max_size=8)):
            daten[stelle] ^= 1 << draw(st.integers(0, 7))
        return art, bytes(daten)
    if art == "abgeschnitten":
        return art, echt[:draw(st.integers(0, len(echt) - 1))]
    if art == "verlaengert":
        return art, echt + draw(st.binary(min_size=1, max_size=64))
    if art == "fremd":
        return art, draw(st.binary(max_size=4096))
    return art, pickle.dumps(draw(st.recursive(st.none() | st.integers() | st.text(max_size=20),
                                               lambda k: st.lists(k, max_size=4) | st.tuples(k, k), max_leaves=8)))


@settings(max_examples=ANZAHL["zwischenspeicher"], deadline=None, derandomize=not LANG,
          suppress_health_check=list(HealthCheck))
@given(daten=st.data())
def test_verdorbener_zwischenspeicher_wird_verworfen(daten, echter_eintrag):
    """Issue 21: was immer an Stelle des Eintrags steht – gelesen wird er nur unverändert; sonst baut ``check`` neu
    (nie ein gekipptes Bit im Ergebnis, nie eine Ausnahme, nie fremder Code)."""
    from engine.regeln import zwischenspeicher

    ordner, datei, echt, referenz = echter_eintrag
    art, inhalt = daten.draw(verdorbene_eintraege(echt))
    alt = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(ordner)
    try:
        datei.write_bytes(inhalt)
        gelesen = zwischenspeicher.lies(datei.stem.split("-", 1)[1])
    finally:
        datei.write_bytes(echt)
        if alt is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = alt
    if gelesen is not None:
        assert inhalt == echt
        assert {r: g.regel for r, g in gelesen.regeln.items()} == {r: g.regel for r, g in referenz.regeln.items()}
    ERGEBNISSE["zwischenspeicher"][f"{art}: {'gelesen' if gelesen is not None else 'verworfen'}"] += 1


# ---------------------------------------------------------------------------------------------------- Webserver

_WEGE = ["/", "/suche", "/kommune/{}", "/kommune/{}/druck", "/kommune/{}/bericht.{}", "/regeln", "/regeln/{}",
         "/abdeckung", "/laender", "/laender/{}", "/static/{}", "/api/v1/pruefung", "/api/v1/kommunen",
         "/api/v1/regeln", "/api/v1/regeln/{}", "/api/v1/merkmale", "/api/v1/openapi.json", "/favicon.ico",
         "//evil.example/", "/\\evil.example", "/%2e%2e/%2e%2e/etc/passwd", "/static/../web/app.py", "*"]
_TEILE = st.one_of(st.sampled_from(["06413000", "6413000", "10041", "SL", "HB", "sl", "XX", "md", "json", "docx", "pdf",
                                    "stil.css", "..%2f..%2fetc%2fpasswd", "%00", "%ff%fe", "%", "he.hgo.84.auslaenderbeirat",
                                    "a" * 300, "\u202e", "%1b%5b2J"]),
                   st.text(st.characters(min_codepoint=33, max_codepoint=126, exclude_characters="?#"), max_size=12))
_NAMEN = st.sampled_from(["ags", "stichtag", "merkmal", "einwohner", "auslaendische_einwohner", "q", "suche",
                          "anzahl", "land", "format", "integrationsausschuss_gebildet", "x", ""])
_WERTE = st.one_of(st.sampled_from(["06413000", "2025-06-01", "31.02.2025", "9999-12-01", "1", "0", "-1", "ja",
                                    "integrationsausschuss_gebildet=ja", "=", "%00", "%ZZ", "a" * 200, "%e2%80%ae"]),
                   st.text(st.characters(min_codepoint=33, max_codepoint=126, exclude_characters="&#= "), max_size=10))
_KOERPER = st.one_of(st.just(b""), st.binary(max_size=200),
                     st.sampled_from([b'{"name": "X", "land": "HE", "typ": "gemeinde", "einwohner": 010000, '
                                      b'"auslaendische_einwohner": 1}', b"name: X\nland: HE\ntyp: gemeinde\n"
                                      b"einwohner: 1:20:00\nauslaendische_einwohner: 1\n",
                                      b"[" + b"1," * 20_000 + b"1]", b"a: &x [1]\nb: *x\n", b"[" * 5000,
                                      b'{"name": "\\ud800"}', json.dumps({str(i): 1 for i in range(6000)}).encode()]))


@st.composite
def rohe_anfragen(draw) -> tuple[bytes, bool]:
    """(Anfrage, vollständig): eine HTTP/1.1-Anfrage aus feindlichen Teilen – Methode, Pfad, doppelte und kaputte
    Parameter, Host, Content-Length, die nicht stimmt, chunked, Müll – oder ihr abgeschnittener Anfang. Die Hälfte ist
    eine gewöhnliche Anfrage mit feindlichen Werten (sie erreicht die Anwendung), die andere feindlich überall."""
    if draw(st.booleans()):
        return draw(_gewoehnliche_anfragen()), True
    methode = draw(st.sampled_from([b"GET", b"GET", b"GET", b"POST", b"POST", b"HEAD", b"PUT", b"DELETE", b"OPTIONS",
                                    b"TRACE", b"CONNECT", b"G\x00T", b"get"]))
    weg = draw(st.sampled_from(_WEGE))
    weg = weg.format(*(quote(draw(_TEILE), safe="%./") for _ in range(weg.count("{}"))))
    if weg.startswith("/laender/"):
        weg = "/laender/" + draw(st.sampled_from(["SL", "HB", "HH", "BE", "XX", "sl"]))  # kleine Länder: schnell
    parameter = draw(st.lists(st.tuples(_NAMEN, _WERTE), max_size=5))
    if parameter and draw(st.booleans()):
        parameter.append(parameter[0])  # derselbe Name zweimal
    abfrage = "&".join(f"{n}={w}" for n, w in parameter)
    ziel = (weg + ("?" + abfrage if abfrage else "")).encode("utf-8", "surrogatepass")
    koerper = draw(_KOERPER) if methode in (b"POST", b"PUT") or draw(st.integers(0, 9)) == 0 else b""
    kopf = [b"Host: " + draw(st.sampled_from([b"127.0.0.1", b"evil.example", b"", b"a" * 300, b"x\x00y"]))]
    laenge = draw(st.sampled_from(["stimmt", "stimmt", "fehlt", "zu_klein", "zu_gross", "kaputt", "doppelt",
                                   "chunked"]))
    if laenge == "stimmt" or (laenge == "fehlt" and koerper):
        kopf.append(b"Content-Length: %d" % len(koerper))
    elif laenge == "zu_klein":
        kopf.append(b"Content-Length: %d" % max(0, len(koerper) - 3))
    elif laenge == "zu_gross":
        kopf.append(b"Content-Length: %d" % draw(st.sampled_from([len(koerper) + 5, 10**12, 262_145])))
    elif laenge == "kaputt":
        kopf.append(b"Content-Length: " + draw(st.sampled_from([b"-1", b"abc", b"1e3", b" ", b"0x10"])))
    elif laenge == "doppelt":
        kopf += [b"Content-Length: %d" % len(koerper), b"Content-Length: 7"]
    else:
        kopf.append(b"Transfer-Encoding: chunked")
        koerper = (b"%x\r\n" % len(koerper) + koerper + b"\r\n0\r\n\r\n") if draw(st.booleans()) else koerper
    kopf += draw(st.lists(st.sampled_from([b"Connection: close", b"X-Lang: " + b"v" * 9000, b"Upgrade: websocket",
                                           b"Connection: Upgrade", b"Cookie: a=b", b"Bad Header", b"X: \x1b[2J",
                                           b"Content-Type: application/yaml", b"X-Forwarded-Host: evil.example"]),
                          max_size=3))
    version = draw(st.sampled_from([b"HTTP/1.1", b"HTTP/1.1", b"HTTP/1.0", b"HTTP/2.0", b"HTTP/9", b""]))
    anfrage = methode + b" " + ziel + b" " + version + b"\r\n" + b"\r\n".join(kopf) + b"\r\n\r\n" + koerper
    if draw(st.integers(0, 7)) == 0:  # abgeschnitten: der Server wartet, bis seine Frist endet – wir nicht
        return anfrage[:draw(st.integers(0, max(0, len(anfrage) - 1)))], False
    return anfrage, True


@st.composite
def _gewoehnliche_anfragen(draw) -> bytes:
    methode, weg = draw(st.sampled_from([
        (b"GET", "/kommune/{ags}"), (b"GET", "/kommune/{ags}/druck"), (b"GET", "/kommune/{ags}/bericht.{fmt}"),
        (b"HEAD", "/kommune/{ags}"), (b"GET", "/api/v1/pruefung"), (b"POST", "/api/v1/pruefung"),
        (b"GET", "/api/v1/kommunen"), (b"GET", "/suche"), (b"GET", "/laender/{land}"), (b"GET", "/regeln/{regel}"),
        (b"GET", "/api/v1/regeln/{regel}"), (b"GET", "/abdeckung")]))
    weg = weg.format(ags=draw(st.sampled_from(["06413000", "05315000", "10041511", "15085", "6413000", "99999999"])),
                     fmt=draw(st.sampled_from(["md", "json", "docx"])), land=draw(st.sampled_from(["SL", "HB", "BE"])),
                     regel=draw(st.sampled_from(["he.hgo.84.auslaenderbeirat", "sl.ksvg.50.integrationsbeirat", "x"])))
    parameter = [("ags", draw(st.sampled_from(["06413000", "05315000"])))] if weg == "/api/v1/pruefung" and \
        methode == b"GET" else []
    parameter += draw(st.lists(st.tuples(st.sampled_from(["stichtag", "merkmal", "einwohner", "auslaendische_einwohner",
                                                          "q", "suche", "integrationsausschuss_gebildet"]),
                                         _WERTE.map(lambda w: quote(w, safe="%="))), max_size=3))
    abfrage = "&".join(f"{n}={w}" for n, w in parameter)
    koerper = draw(_KOERPER) if methode == b"POST" else b""
    return (methode + b" " + (weg + ("?" + abfrage if abfrage else "")).encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Connection: close\r\nContent-Length: %d\r\n\r\n" % len(koerper) + koerper)


def _antwort_lesen(sock, kopf_anfrage: bool) -> bytes:
    daten = b""
    while b"\r\n\r\n" not in daten:
        teil = sock.recv(65536)
        if not teil:
            return daten
        daten += teil
    kopf, _, inhalt = daten.partition(b"\r\n\r\n")
    if kopf_anfrage:
        return daten
    laenge = re.search(rb"(?im)^content-length:\s*(\d+)", kopf)
    while laenge is None or len(inhalt) < int(laenge.group(1)):
        teil = sock.recv(65536)
        if not teil:
            break
        inhalt += teil
    return kopf + b"\r\n\r\n" + inhalt


def pruefe_http_antwort(anfrage: bytes, vollstaendig: bool, port: int) -> str:
    """Eine rohe Anfrage senden und die Antwort in eine Ergebnisklasse einordnen (oder scheitern)."""
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        sock.sendall(anfrage)
        if not vollstaendig:
            return "unvollständig, vom Client getrennt"
        try:
            antwort = _antwort_lesen(sock, anfrage.startswith(b"HEAD "))
        except (ConnectionResetError, socket.timeout) as exc:
            raise AssertionError(f"keine Antwort ({exc!r}) auf {anfrage[:300]!r}") from None
    if not antwort:
        return "ohne Antwort getrennt"  # h11 wartet auf mehr, bis wir schließen – nur bei kaputter Länge
    kopf, _, inhalt = antwort.partition(b"\r\n\r\n")
    status = int(kopf[9:12])
    assert status < 500 or (status == 503 and re.search(rb"(?im)^retry-after:", kopf)), (anfrage[:300], antwort[:500])
    assert b"Traceback (most recent call last)" not in antwort and b"Internal Server Error" not in antwort
    if status >= 400 and inhalt:
        assert b'"meldung"' in inhalt or b'role="alert"' in inhalt, (anfrage[:300], antwort[:500])
    return "503 mit Retry-After" if status == 503 else f"{status // 100}xx"


@pytest.fixture(scope="module")
def webserver():
    from .webserver import echter_server

    with echter_server("--verbindungen", "64") as server:
        yield server
        text = server.text_des_protokolls()
        assert "Traceback" not in text and len(text) < 20_000, text[-3000:]


@settings(max_examples=ANZAHL["web"], deadline=None, derandomize=not LANG, suppress_health_check=list(HealthCheck))
@given(anfrage=rohe_anfragen())
def test_feindliche_http_anfragen(anfrage, webserver):
    ERGEBNISSE["HTTP-Anfragen"][pruefe_http_antwort(*anfrage, webserver.port)] += 1


@pytest.mark.skipif(not LANG, reason="nur in der langen Kampagne: 200 gleichzeitige Verbindungen")
def test_stoss_gleichzeitiger_feindlicher_anfragen(webserver):
    import random
    from concurrent.futures import ThreadPoolExecutor

    zufall = random.Random(21)
    anfragen = [
        (b"GET /kommune/%s?stichtag=2025-06-0%d HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
         % (ags.encode(), zufall.randint(1, 9)), True)
        for ags in zufall.choices(["06413000", "05315000", "10041511", "15085", "99999999", "abc"], k=100)]
    anfragen += [(b"POST /api/v1/pruefung HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: %d\r\n\r\n"
                  % len(k) + k, True) for k in [b"[" + b"1," * 100_000 + b"1]", b"name: x\n" * 5] * 50]
    with ThreadPoolExecutor(200) as pool:
        klassen = list(pool.map(lambda a: pruefe_http_antwort(*a, webserver.port), anfragen))
    for klasse in klassen:
        ERGEBNISSE["HTTP-Stoß (200 gleichzeitig)"][klasse] += 1
    from .webserver import abruf

    assert abruf(webserver.adresse + "/api/v1/merkmale")[1] == 200
