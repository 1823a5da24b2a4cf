"""Eine Kommune finden, wie Menschen sie nennen – und nie raten, wo zwei gleichrangig heißen."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.kommunen.daten import SucheFehler, alle, anzeigename
from engine.kommunen.suche import ags_aus, finde_ags, kern, nach_name, suche


@pytest.mark.parametrize("eingabe, ags", [
    ("Mainz", "07315000"),  # genau vor „Mainz-Bingen“
    ("Stadt Mainz", "07315000"),
    ("Landeshauptstadt Mainz", "07315000"),
    ("Leipzig", "14713000"),  # die Stadt; der Landkreis heißt „Landkreis Leipzig“
    ("Landkreis Leipzig", "14729"),
    ("München", "09162000"),
    ("Landkreis München", "09184"),
    ("Frankfurt am Main", "06412000"),
    ("Frankfurt/Main", "06412000"),
    ("Frankfurt a. M.", "06412000"),
    ("frankfurt-main", "06412000"),
    ("Frankfurt (Oder)", "12053000"),
    ("Frankfurt/Oder", "12053000"),
    ("Halle (Saale)", "15002000"),
    ("Halle/Saale", "15002000"),
    ("Neukölln", "11000008"),
    ("Bezirk Mitte", "11000001"),
    ("Hamburg", "02000000"),
    ("Hamburg-Nord", "02000004"),
    ("Kreis Offenbach", "06438"),
    ("Region Hannover", "03241"),
    ("KOELN", "05315000"),
    ("Städteregion Aachen", "05334"),
])
def test_namen_wie_menschen_sie_schreiben(eingabe, ags):
    assert nach_name(eingabe).gewaehlt.ags == ags


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_unicode_nfc_und_nfd(form):
    """macOS liefert zerlegte Umlaute (NFD): „Neuko\u0308lln“ muss dasselbe finden."""
    assert nach_name(unicodedata.normalize(form, "Neukölln")).gewaehlt.ags == "11000008"
    assert nach_name(unicodedata.normalize(form, "Düsseldorf")).gewaehlt.ags == "05111000"


def test_klar_fuehrende_stadt_mit_hinweis_auf_gleichnamige():
    """„Schwerin“: die Landeshauptstadt, nicht das Dorf in Brandenburg – aber der Hinweis nennt das Dorf und seinen AGS."""
    t = nach_name("Schwerin")
    assert t.gewaehlt.ags == "13004000"
    assert "12061448" in t.hinweis and "Brandenburg" in t.hinweis
    t = nach_name("Leipzig")
    assert "Landkreis Leipzig" in t.hinweis and "--ags 14729" in t.hinweis


@pytest.mark.parametrize("eingabe, erwartet", [
    ("Frankfurt", {"06412000", "12053000"}),  # zwei kreisfreie Städte: nie raten
    ("Offenbach", {"06438", "06413000"}),  # Stadt und Landkreis
])
def test_gleichrangige_bleiben_mehrdeutig(eingabe, erwartet):
    with pytest.raises(SucheFehler) as info:
        nach_name(eingabe)
    text = str(info.value)
    assert "nicht eindeutig" in text and "--ags" in text
    assert all(a in text for a in erwartet)
    assert "kreisfreie Stadt" in text and "Hessen" in text


def test_mehrdeutige_liste_nennt_art_kreis_und_ags():
    with pytest.raises(SucheFehler) as info:
        nach_name("Neustadt")
    text = str(info.value)
    assert "--ags 03241012  Neustadt am Rübenberge – kreisangehörige Gemeinde, Region Hannover, Niedersachsen" in text


def test_unbekannter_name():
    with pytest.raises(SucheFehler, match="Keine Gemeinde"):
        nach_name("Atlantis an der Spree")


@pytest.mark.parametrize("eingabe, ags", [
    ("06413000", "06413000"), ("6413000", "06413000"), ("06 413 000", "06413000"), ("6438", "06438"),
    ("064130000000", "06413000"),  # Regionalschlüssel: Land, Bezirk, Kreis, Verband (0000), Gemeinde
    ("073405001029", "07340029"),  # Ortsgemeinde einer Verbandsgemeinde
])
def test_ags_formen(eingabe, ags):
    assert finde_ags(eingabe).ags == ags
    assert ags_aus(eingabe.replace(" ", "")) == ags


@pytest.mark.parametrize("eingabe", ["641300", "abcdefgh", "99999999", "0641300012345"])
def test_falsche_ags_deutsch(eingabe):
    with pytest.raises(SucheFehler):
        finde_ags(eingabe)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(alle()))
def test_jede_kommune_unter_ihrem_namen_oder_ags_auffindbar(d):
    """Jede Kommune ist entweder unter ihrem Namen eindeutig zu finden oder steht in der Kandidatenliste."""
    t = suche(anzeigename(d))
    assert t.gewaehlt == d or d in t.kandidaten, (d, t)
    assert finde_ags(d.ags) == d


def test_kern_gleicht_schreibweisen_an():
    assert kern("Frankfurt am Main") == kern("Frankfurt/Main") == kern("Frankfurt a. M.") == "frankfurt main"
    assert kern("Halle (Saale)") == kern("Halle/Saale")


def test_vorsatz_der_zum_namen_gehoert():
    """„Markt Schwaben“ heißt so; „Markt“ ist hier kein Vorsatz wie in „Markt Indersdorf“ → Indersdorf."""
    assert nach_name("Markt Schwaben").gewaehlt.name.startswith("Markt Schwaben")


@pytest.mark.parametrize("eingabe, zuerst", [
    ("Kölln", "05315000"),  # gemeint: Köln – nicht still Kölln-Reisiek (SH)
    ("Kolnn", "05315000"),  # Tippfehler ohne jeden Teiltreffer
    ("Muenchn", "09162000"),
    ("Landkreis Leipzg", "14729"),
])
def test_ungenauer_name_fragt_meinten_sie(eingabe, zuerst):
    treffer = suche(eingabe)
    assert treffer.gewaehlt is None and treffer.ungenau and treffer.kandidaten[0].ags == zuerst
    with pytest.raises(SucheFehler) as fehler:
        nach_name(eingabe)
    text = str(fehler.value)
    assert f"heißt genau „{eingabe}“. Meinten Sie:" in text and f"--ags {zuerst}" in text.splitlines()[1]


def test_einziger_teiltreffer_wird_nicht_still_gewaehlt():
    """„Kölln“ beginnt nur „Kölln-Reisiek“ – das allein ist keine Wahl; der Teiltreffer steht in der Liste."""
    treffer = suche("Kölln")
    assert treffer.gewaehlt is None and "01056031" in [d.ags for d in treffer.kandidaten]
    assert suche("Mörfelden").gewaehlt is None and suche("Mörfelden").kandidaten[0].ags == "06433008"


def test_nichts_aehnliches_bleibt_keine_liste():
    treffer = suche("Atlantis an der Spree")
    assert treffer.gewaehlt is None and not treffer.kandidaten
