"""Profile: jede fehlerhafte Eingabe ergibt eine deutsche Meldung mit Datei, Zeile und Feld."""

import pytest

from engine.fehler import EingabeFehler
from engine.kommunen.profil import Kommune, lade_profil

GUT = """name: Dietzenbach (Testprofil)
ags: "06438001"
land: HE
typ: gemeinde
einwohner: 20000
auslaendische_einwohner: 1500
merkmale:
  integrationskommission_gebildet: false
"""


def schreibe(tmp_path, text, name="p.yaml"):
    pfad = tmp_path / name
    pfad.write_text(text, encoding="utf-8")
    return pfad


def meldung(tmp_path, text, name="p.yaml"):
    with pytest.raises(EingabeFehler) as info:
        lade_profil(schreibe(tmp_path, text, name))
    return info.value.meldungen[0]


def test_gutes_profil(tmp_path):
    k = lade_profil(schreibe(tmp_path, GUT))
    assert k.ags == "06438001" and k.merkmal("antrag_wahlberechtigte") is None  # nicht angegeben = unbekannt


def test_json_profil(tmp_path):
    k = lade_profil(schreibe(tmp_path, '{"name": "X", "land": "NW", "typ": "gemeinde", "einwohner": 10, '
                                       '"auslaendische_einwohner": 2}', "p.json"))
    assert k.land == "NW"


@pytest.mark.parametrize(
    "ersetzen, feld, zeile, text",
    [
        (("land: HE", "land: XY"), "land", 3, "unbekanntes Land"),
        (("einwohner: 20000", "einwohner: -5"), "einwohner", 5, "mindestens 1"),
        (("auslaendische_einwohner: 1500", "auslaendische_einwohner: -1"), "auslaendische_einwohner", 6, "mindestens 0"),
        (("auslaendische_einwohner: 1500", "auslaendische_einwohner: 30000"), "auslaendische_einwohner", 6, "mehr ausländische"),
        (('ags: "06438001"', 'ags: "05438001"'), "ags", 2, "gehört nicht zu Hessen"),
        (('ags: "06438001"', "ags: 6438001"), "ags", 2, "Text"),
        (("typ: gemeinde", "typ: dorf"), "typ", 4, "unbekannter Kommunaltyp"),
        (("typ: gemeinde", "typ: bezirk"), "typ", 4, "gibt es in Hessen nicht"),
        (("einwohner: 20000", 'einwohner: "20000"'), "einwohner", 5, "ganze Zahl"),
        (("einwohner: 20000", "einwohner: true"), "einwohner", 5, "ganze Zahl"),
        (("einwohner: 20000", "einwohner: 2.5e4"), "einwohner", 5, "ganze Zahl"),
        (("name: Dietzenbach (Testprofil)", "name: Dietzenbach (Testprofil)\nfarbe: blau"), "farbe", 2, "Unbekanntes Feld"),
        (("  integrationskommission_gebildet: false", "  irgendwas: true"), "merkmale.irgendwas", 8, "unbekanntes Merkmal"),
        (("  integrationskommission_gebildet: false", "  integrationskommission_gebildet: 1"), "merkmale.integrationskommission_gebildet", 8, "ja, nein oder unbekannt"),
        (("  integrationskommission_gebildet: false", "  integrationskommission_gebildet: vielleicht"), "merkmale.integrationskommission_gebildet", 8, "ja, nein oder unbekannt"),
    ],
)
def test_fehlerhafte_profile(tmp_path, ersetzen, feld, zeile, text):
    alt, neu = ersetzen
    assert alt in GUT
    m = meldung(tmp_path, GUT.replace(alt, neu))
    assert m.fundstelle.datei.endswith("p.yaml")
    assert m.fundstelle.feld == feld
    assert m.fundstelle.zeile == zeile
    assert text.lower() in m.text.lower()


def test_fehlendes_pflichtfeld(tmp_path):
    m = meldung(tmp_path, GUT.replace("land: HE\n", ""))
    assert m.fundstelle.feld == "land" and m.text == "Pflichtfeld fehlt."


def test_kein_mapping(tmp_path):
    assert "Abbildung" in meldung(tmp_path, "- a\n- b\n").text


def test_objekt_tag_im_profil(tmp_path):
    m = meldung(tmp_path, GUT.replace("name: Dietzenbach (Testprofil)", "name: !!python/object/apply:os.getcwd []"))
    assert "nicht erlaubt" in m.text and m.fundstelle.zeile == 1


def test_alle_fehler_auf_einmal(tmp_path):
    with pytest.raises(EingabeFehler) as info:
        lade_profil(schreibe(tmp_path, "name: X\nland: XY\ntyp: dorf\neinwohner: -1\nauslaendische_einwohner: 0\n"))
    felder = {m.fundstelle.feld for m in info.value.meldungen}
    assert {"land", "typ", "einwohner"} <= felder


def test_kommune_direkt_streng():
    with pytest.raises(ValueError):
        Kommune(name="X", land="HE", typ="gemeinde", einwohner="100", auslaendische_einwohner=1)
