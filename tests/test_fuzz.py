"""Fuzz-Kampagne (Issue 14): feindliche Profile, Regeldateien und Kommandozeilen-Argumente, erzeugt mit hypothesis.

Jedes Beispiel endet in genau einer erlaubten Ergebnisklasse – angenommen (und dann vollständig ausgewertet und in
Text, Markdown und JSON ausgegeben, ohne ein Steuerzeichen im Text) oder abgelehnt mit deutscher Meldung und
Fundstelle. Jede andere Ausnahme, ein Hänger oder ein Absturz lässt den Test scheitern.

Im normalen Testlauf laufen wenige Beispiele je Art. Die lange Kampagne (mindestens 10.000 Profile, 2.000 Regeldateien,
1.000 Aufrufe, 2.000 verdorbene Einträge des Zwischenspeichers) läuft mit

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
ANZAHL = {"profile": 10_000 if LANG else 150, "regeln": 2_000 if LANG else 40, "cli": 1_000 if LANG else 30}
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
), min_size=1, max_size=4)


@settings(max_examples=ANZAHL["cli"], deadline=None, derandomize=not LANG, suppress_health_check=list(HealthCheck))
@given(optionen)
def test_feindliche_kommandozeilen(paare):
    argumente = ["check"] + [teil for paar in paare for teil in paar]
    if "--ags" not in argumente and "--name" not in argumente:
        argumente += ["--ags", "06413000"]
    ergebnis = CliRunner().invoke(main, argumente, catch_exceptions=True)
    ausgabe = ergebnis.output
    assert ergebnis.exit_code in (0, 2), (argumente, ergebnis.exit_code, ausgabe[-1500:], ergebnis.exception)
    assert ergebnis.exception is None or isinstance(ergebnis.exception, SystemExit), repr(ergebnis.exception)
    assert "Traceback" not in ausgabe and "pydantic" not in ausgabe
    if "--format" not in argumente or "text" in argumente or "markdown" in argumente:
        assert not STEUERZEICHEN.search(ausgabe), ausgabe[-500:]
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
