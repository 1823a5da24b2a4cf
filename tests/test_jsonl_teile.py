"""JSONL der Massenauswertung (Issue 19): ein wiederkehrendes Ergebnis wird einmal kodiert. Der Schlüssel muss alles
enthalten, woraus ``ergebnis_json`` den Eintrag baut – sonst bekäme eine Kommune den Eintrag einer anderen."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from engine.ausgabe.json_vertrag import bericht_json, ergebnis_json, json_text
from engine.ausgabe.jsonl_format import JsonlFormat, ergebnis_schluessel
from engine.auswertung.bericht import AusnahmePruefung, Ergebnis, Foerderangaben, erstelle_bericht
from engine.auswertung.betraege import Betrag
from engine.auswertung.beurteilung import OffeneFrage, Vorbehalt
from engine.kommunen import daten

TAG = dt.date(2025, 6, 1)

# Die Felder, die ``ergebnis_schluessel`` liest – je Datenklasse. Bekommt eine Klasse ein Feld, schlägt dieser Test
# fehl, bis der Schlüssel (und diese Liste) es aufnimmt.
IM_SCHLUESSEL = {
    Ergebnis: {"regel", "version_index", "status", "begruendung", "ausnahmen", "foerderung", "offen", "vorbehalte"},
    AusnahmePruefung: {"regel", "titel", "greift", "begruendung", "zitat"},
    Foerderangaben: {"betrag", "naechste_frist", "laeuft_aus"},
    Betrag: {"hoechstbetrag", "rechnung", "parameter_ab", "einmalig", "laufzeit"},
    OffeneFrage: {"merkmal", "frage", "bedingung", "wenn_ja", "wenn_nein", "option"},
    Vorbehalt: {"merkmal", "frage", "ausnahme", "option"},
}


@pytest.mark.parametrize("klasse", list(IM_SCHLUESSEL), ids=lambda k: k.__name__)
def test_schluessel_kennt_jedes_feld(klasse):
    assert {f.name for f in dataclasses.fields(klasse)} == IM_SCHLUESSEL[klasse]


def _ergebnis_mit_allem(regelbasis, durable) -> Ergebnis:
    """Ein echtes Ergebnis, ergänzt um je eine Ausnahme, Förderangabe, offene Frage und einen Vorbehalt."""
    bericht = erstelle_bericht(daten.nach_ags("06413000").profil(TAG), TAG, regelbasis, durable)
    e = next(x for x in bericht.ergebnisse if len(x.regel.versionen) > 1)  # eine andere Fassung zum Abwandeln
    zitat = e.version.zitat
    return dataclasses.replace(
        e, begruendung=["a", "b"], ausnahmen=[AusnahmePruefung("x.y", "Titel", False, ["c"], zitat)],
        foerderung=Foerderangaben(Betrag(1000, "1.000 €", TAG, False, "zwei Jahre"), TAG, None),
        offen=[OffeneFrage("m", "Frage?", "ja", "gilt", "entfaellt", "--merkmal m=ja|nein")],
        vorbehalte=[Vorbehalt("m", "Frage?", "x.y", "--merkmal m=ja|nein")])


def _abwandlungen(e: Ergebnis, anderes_zitat):
    """Je Feld (auch in den verschachtelten Klassen) eine Abwandlung – jede ändert den Eintrag."""
    a, f, o, v = e.ausnahmen[0], e.foerderung, e.offen[0], e.vorbehalte[0]
    r = dataclasses.replace
    yield "version_index", r(e, version_index=(e.version_index + 1) % len(e.regel.versionen))
    yield "status", r(e, status=type(e.status)("unbestimmt" if e.status.value != "unbestimmt" else "gilt"))
    yield "begruendung", r(e, begruendung=["a", "b", "c"])
    for feld, wert in (("regel", "x.z"), ("titel", "T"), ("greift", True), ("begruendung", ["d"]),
                       ("zitat", anderes_zitat)):
        yield f"ausnahme.{feld}", r(e, ausnahmen=[r(a, **{feld: wert})])
    yield "ausnahmen", r(e, ausnahmen=[])
    yield "foerderung", r(e, foerderung=None)
    for feld, wert in (("hoechstbetrag", 2000), ("rechnung", "2.000 €"), ("parameter_ab", None), ("einmalig", True),
                       ("laufzeit", None)):
        yield f"betrag.{feld}", r(e, foerderung=r(f, betrag=r(f.betrag, **{feld: wert})))
    yield "naechste_frist", r(e, foerderung=r(f, naechste_frist=None))
    yield "laeuft_aus", r(e, foerderung=r(f, laeuft_aus=TAG))
    for feld in IM_SCHLUESSEL[OffeneFrage]:
        yield f"offen.{feld}", r(e, offen=[r(o, **{feld: "anders"})])
    for feld in IM_SCHLUESSEL[Vorbehalt]:
        yield f"vorbehalt.{feld}", r(e, vorbehalte=[r(v, **{feld: "anders"})])


def test_jede_abwandlung_aendert_schluessel_und_eintrag(regelbasis, durable):
    e = _ergebnis_mit_allem(regelbasis, durable)
    anderes_zitat = next(g.regel.versionen[0].zitat for g in regelbasis.regeln.values()
                         if g.regel.versionen[0].zitat is not e.version.zitat)
    bericht = erstelle_bericht(daten.nach_ags("06413000").profil(TAG), TAG, regelbasis, durable)
    gesehen = {ergebnis_schluessel(e)}
    for name, anders in _abwandlungen(e, anderes_zitat):
        if json_text(ergebnis_json(bericht, anders)) == json_text(ergebnis_json(bericht, e)):
            continue  # z. B. ein Wert, den der Vertrag nicht zeigt: dann darf der Schlüssel gleich sein
        assert ergebnis_schluessel(anders) not in gesehen, name
        gesehen.add(ergebnis_schluessel(anders))
    assert len(gesehen) > 20


def test_wiederkehrende_ergebnisse_einmal_kodiert_und_dennoch_gleich(regelbasis, durable):
    """Kommunen aus allen Ländern: jede Zeile ist ``json_text`` ihres Berichts, und die meisten Ergebnisse kamen aus
    dem einmal kodierten Eintrag."""
    format_ = JsonlFormat(regelbasis, TAG)
    speicher: dict = {}
    auswahl = [*daten.alle()[::23], *(d for d in daten.alle() if d.land in ("HB", "BE"))]
    assert len({d.land for d in auswahl}) == 16
    for d in auswahl:
        kommune = d.profil(TAG)
        erwartet = json_text(bericht_json(erstelle_bericht(kommune, TAG, regelbasis, durable)), kompakt=True)
        assert format_(kommune, TAG, regelbasis, durable, speicher)[1] == erwartet.encode(), d.ags
    assert len(format_._ergebnisse) > 50
