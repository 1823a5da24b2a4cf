"""Dreiwertige Merkmale (Issue 8): Was die Engine über unbekannte Tatsachen sagt, hält, wenn man sie erfährt.

* Ein ``unbestimmt``-Ergebnis nennt je offene Frage beide Ausgänge; setzt man das Merkmal auf ja bzw. nein, widerspricht
  das neue Ergebnis nie ``wenn_ja``/``wenn_nein``.
* Ein Vorbehalt (Ausnahme mit unbekannter Voraussetzung) verschwindet, sobald das Merkmal „nein“ ist, und die Regel gilt.
* Wo eine Regel ausgewertet wurde, steht nie „keine Aussage“.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.auswertung.bericht import erstelle_bericht
from engine.begriffe import Status
from engine.felder import MERKMALE
from engine.kommunen.profil import Kommune

from .strategien import profile

EINIGE = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
STICHTAGE = st.sampled_from([dt.date(2019, 6, 1), dt.date(2023, 6, 1), dt.date(2025, 6, 1), dt.date(2026, 12, 1)])


def _mit(kommune: Kommune, name: str, wert) -> Kommune:
    return kommune.ersetzt(merkmale={**kommune.merkmale, name: wert})


def _ohne_merkmale(kommune: Kommune, anteil: int) -> Kommune:
    # ein Teil der Merkmale bleibt unbekannt (entfernt); der Rest wie erzeugt
    namen = sorted(kommune.merkmale)
    behalten = {n: kommune.merkmale[n] for i, n in enumerate(namen) if i % 3 < anteil}
    return kommune.ersetzt(merkmale=behalten)


def _status(bericht, regel_id):
    for e in bericht.ergebnisse:
        if e.regel.id == regel_id:
            return e.status
    return None


def _passt(ausgang: str, status) -> bool:
    return {"gilt": status == Status.gilt, "gilt_nicht": status is None, "entfaellt": status == Status.entfaellt,
            "unbestimmt": True}[ausgang]


def _werte_fuer(frage) -> tuple:
    """(Wert für „ja“, Wert für „nein“) – bei Anzahlen die Schwelle aus der Bedingung und 0."""
    feld = MERKMALE[frage.merkmal]
    if feld.art == "wahrheitswert":
        return True, False
    schwelle = int("".join(c for c in frage.bedingung if c.isdigit()))
    for text, ja, nein in (("mehr als", schwelle + 1, schwelle), ("mindestens", schwelle, max(schwelle - 1, 0)),
                           ("weniger als", max(schwelle - 1, 0), schwelle), ("höchstens", schwelle, schwelle + 1)):
        if frage.bedingung.startswith(text):
            return ja, nein
    raise AssertionError(frage.bedingung)


@EINIGE
@given(profile(), STICHTAGE, st.integers(0, 2))
def test_bekannt_werden_widerspricht_nie_den_ausgaengen(regelbasis, durable, kommune, tag, anteil):
    kommune = _ohne_merkmale(kommune, anteil)
    bericht = erstelle_bericht(kommune, tag, regelbasis, durable)
    for e in bericht.ergebnisse:
        for frage in e.offen:
            if frage.merkmal not in MERKMALE:
                continue
            ja, nein = _werte_fuer(frage)
            nachher_ja = erstelle_bericht(_mit(kommune, frage.merkmal, ja), tag, regelbasis, durable)
            nachher_nein = erstelle_bericht(_mit(kommune, frage.merkmal, nein), tag, regelbasis, durable)
            assert _passt(frage.wenn_ja, _status(nachher_ja, e.regel.id)), (e.regel.id, frage)
            assert _passt(frage.wenn_nein, _status(nachher_nein, e.regel.id)), (e.regel.id, frage)


@EINIGE
@given(profile(), STICHTAGE, st.integers(0, 2))
def test_vorbehalt_verschwindet_wenn_die_ausnahme_nicht_vorliegt(regelbasis, durable, kommune, tag, anteil):
    kommune = _ohne_merkmale(kommune, anteil)
    bericht = erstelle_bericht(kommune, tag, regelbasis, durable)
    for e in bericht.ergebnisse:
        for v in e.vorbehalte:
            assert e.status in (Status.gilt, Status.unbestimmt)  # ein Vorbehalt verdrängt nie auf Verdacht
            nein = False if MERKMALE[v.merkmal].art == "wahrheitswert" else 0
            nachher = erstelle_bericht(_mit(kommune, v.merkmal, nein), tag, regelbasis, durable)
            treffer = [x for x in nachher.ergebnisse if x.regel.id == e.regel.id]
            assert treffer and treffer[0].status == e.status
            assert all(w.merkmal != v.merkmal for w in treffer[0].vorbehalte)


@EINIGE
@given(profile(), STICHTAGE)
def test_keine_luecke_wo_eine_regel_ausgewertet_wurde(regelbasis, durable, kommune, tag):
    bericht = erstelle_bericht(kommune.ersetzt(merkmale={}), tag, regelbasis, durable)
    ausgewertet = {r.gegenstand for r in regelbasis.fuer_land(kommune.land)
                   if kommune.typ in __import__("engine.begriffe", fromlist=["konkrete_typen"]).konkrete_typen(r.typen)}
    assert not set(bericht.luecken) & ausgewertet


def test_koeln_ohne_tatsachen_fragt_nach_dem_integrationskonzept(regelbasis, durable):
    k = Kommune(name="Köln ohne Angaben", land="NW", typ="kreisfreie_stadt", einwohner=1_000_000,
                auslaendische_einwohner=200_000)
    bericht = erstelle_bericht(k, dt.date(2025, 6, 1), regelbasis, durable)
    ki = next(e for e in bericht.ergebnisse if e.regel.id == "nw.tintg.8.ki_kreisfreie_stadt")
    assert ki.status == Status.unbestimmt
    frage = next(f for f in ki.offen if f.merkmal == "integrationskonzept_vorhanden")
    assert (frage.wenn_ja, frage.wenn_nein) == ("gilt", "gilt_nicht")
    assert "integrationskoordination" not in bericht.luecken


def test_vorbehalt_integrationskommission_hessen(regelbasis, durable):
    k = Kommune(name="Testgemeinde", land="HE", typ="gemeinde", einwohner=20_000, auslaendische_einwohner=1_500)
    bericht = erstelle_bericht(k, dt.date(2025, 6, 1), regelbasis, durable)
    beirat = next(e for e in bericht.ergebnisse if e.regel.id == "he.hgo.84.auslaenderbeirat")
    assert beirat.status == Status.gilt
    assert "integrationskommission_gebildet" in [v.merkmal for v in beirat.vorbehalte]
    mit = erstelle_bericht(_mit(k, "integrationskommission_gebildet", True), dt.date(2025, 6, 1), regelbasis, durable)
    assert next(e for e in mit.ergebnisse if e.regel.id == "he.hgo.84.auslaenderbeirat").status == Status.entfaellt
