"""Schnellwege der Massenauswertung (Issue 19) gegen den bisherigen Weg: dieselben Ergebnisse, Byte für Byte.

Die alten Fassungen stehen hier als Orakel, damit ein künftiger Schnellweg gegen dasselbe geprüft wird."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.auswertung import bereiche
from engine.kommunen.daten import alle
from engine.kommunen.profil import Spanne, Unsicherheit

from .strategien import profile

STICHTAGE = (dt.date(2019, 3, 1), dt.date(2023, 6, 1), dt.date(2025, 6, 1), dt.date(2031, 1, 1))


def stuetzpunkte_alt(kommune, regelbasis) -> list[tuple[int, int]]:
    """``bereiche.stuetzpunkte`` vor Issue 19 (mit ``Fraction`` je Kommune)."""
    e_von, e_bis = kommune.spanne("einwohner")
    a_von, a_bis = kommune.spanne("auslaendische_einwohner")
    a_t, e_t, p_t = bereiche._schwellen(regelbasis, kommune.land)

    def a_werte(e: int) -> set[int]:
        werte = {a_von, a_bis}
        for t in a_t:
            werte |= {t - 1, t, t + 1}
        for p in p_t:
            g = p * e / 100
            basis = g.numerator // g.denominator
            werte |= {basis - 1, basis, basis + 1}
        return {w for w in werte if a_von <= w <= min(a_bis, e)}

    e_werte = {e_von, e_bis} | {x for t in e_t for x in (t - 1, t, t + 1) if e_von <= x <= e_bis}
    for p in p_t:
        if p > 0:
            for t in a_t | {a_von, a_bis}:
                g = Fraction(100 * t) / p
                basis = g.numerator // g.denominator
                e_werte |= {x for x in (basis - 1, basis, basis + 1) if e_von <= x <= e_bis}
    punkte = {(kommune.einwohner, kommune.auslaendische_einwohner)}
    for e in e_werte:
        if e >= 1:
            punkte |= {(e, a) for a in a_werte(e)}
    erster = (kommune.einwohner, kommune.auslaendische_einwohner)
    return [erster] + sorted(punkte - {erster})


@pytest.mark.parametrize("stichtag", STICHTAGE)
def test_stuetzpunkte_ganzzahlig_wie_mit_bruechen_fuer_alle_kommunen(regelbasis, stichtag):
    for d in alle():
        k = d.profil(stichtag)
        assert bereiche.stuetzpunkte(k, regelbasis) == stuetzpunkte_alt(k, regelbasis), d.ags


@given(kommune=profile(), breite=st.tuples(*(st.integers(0, 50_000) for _ in range(4))))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
def test_stuetzpunkte_ganzzahlig_wie_mit_bruechen_beliebige_spannen(regelbasis, kommune, breite):
    e, a = kommune.einwohner, kommune.auslaendische_einwohner
    k = kommune.ersetzt(unsicherheit=Unsicherheit.vertraut(
        einwohner=Spanne.vertraut(von=max(0, e - breite[0]), bis=e + breite[1]),
        auslaendische_einwohner=Spanne.vertraut(von=max(0, a - breite[2]), bis=a + breite[3]), grund="Test"))
    assert bereiche.stuetzpunkte(k, regelbasis) == stuetzpunkte_alt(k, regelbasis)


class CsvFormatAlt:
    """``CsvFormat.__call__`` vor Issue 19: die Teile des Ergebnisses je Kommune neu zusammengesucht."""

    def __init__(self, neu):
        self.neu = neu

    def __call__(self, kommune, stichtag, regelbasis, auswerter, zwischenspeicher):
        from engine.auswertung.betraege import berechne
        from engine.auswertung.massen import bewerte
        from engine.begriffe import KOMMUNALTYPEN, LAENDER

        f, k = self.neu, kommune
        zeile = bewerte(kommune, stichtag, regelbasis, auswerter, zwischenspeicher)
        a_von, a_bis = k.spanne("auslaendische_einwohner")
        if f.deutsch:
            vorne = [k.ags or "", k.name, LAENDER[k.land].name if k.land in LAENDER else k.land, k.kreis or "",
                     KOMMUNALTYPEN[k.typ].bezeichnung, k.einwohner, k.auslaendische_einwohner, a_von, a_bis]
        else:
            vorne = [k.ags, k.name, k.land, k.typ, k.einwohner, k.auslaendische_einwohner, a_von, a_bis]
        vorne_text = f._felder(vorne) + f._trenner
        teile = []
        for rid, status, index in zeile.ergebnisse:
            regel = regelbasis.regel(rid)
            betrag = berechne(regel.foerderung, k, stichtag) if regel.foerderung is not None else None
            if f.deutsch:
                ohne = betrag is None or betrag.hoechstbetrag is None
                schluessel = (rid, status, index, tuple(zeile.offen.get(rid, ())), tuple(zeile.vorbehalte.get(rid, ())),
                              "" if ohne else betrag.hoechstbetrag, "" if ohne else betrag.bezug)
            else:
                schluessel = (rid, status, index, "" if betrag is None or betrag.hoechstbetrag_jahr is None
                              else betrag.hoechstbetrag_jahr)
            teile.append(vorne_text + f._ergebnisteil(regel, schluessel))
        return [(rid, status.value) for rid, status, _ in zeile.ergebnisse], "".join(teile).encode()


@pytest.mark.parametrize("deutsch, stichtag, nach_einwohnern", [
    (True, dt.date(2025, 6, 1), False), (False, dt.date(2023, 6, 1), False), (True, dt.date(2026, 12, 6), True)])
def test_csv_zeilen_je_geteiltem_eintrag_wie_je_kommune(regelbasis, durable, monkeypatch, deutsch, stichtag,
                                                        nach_einwohnern):
    """Ganz Deutschland: der Text aus den Teilen je Eintrag des Zwischenspeichers ist derselbe wie je Kommune gebildet;
    ``nach_einwohnern``: als hinge jeder Betrag an den Einwohnern (der Weg einer Staffel), ebenfalls gleich."""
    from engine.ausgabe import csv_format, dateien
    from engine.kommunen.profil import mit_merkmalen

    if nach_einwohnern:
        monkeypatch.setattr(csv_format, "haengt_von_einwohnern", lambda foerderung, tag: True)
    neu = dateien.CsvFormat(regelbasis, stichtag, deutsch=deutsch)
    alt = CsvFormatAlt(dateien.CsvFormat(regelbasis, stichtag, deutsch=deutsch))
    speicher_neu, speicher_alt = {}, {}
    for d in alle():
        k = mit_merkmalen(d.profil(stichtag), ())
        ergebnis = neu(k, stichtag, regelbasis, durable, speicher_neu)
        assert ergebnis == alt(k, stichtag, regelbasis, durable, speicher_alt), d.ags
    geteilt = len(neu._je_eintrag)
    assert 0 < geteilt < len(alle()) // 10  # wirklich geteilt


@pytest.mark.parametrize("stichtag", STICHTAGE)
def test_betrag_ohne_staffel_fuer_jede_kommune_gleich(regelbasis, stichtag):
    """Wo ``haengt_von_einwohnern`` nein sagt, liefert ``berechne`` für jede Einwohnerzahl denselben Betrag."""
    from engine.auswertung.betraege import berechne, haengt_von_einwohnern
    from engine.kommunen.profil import Kommune

    klein, gross = (Kommune(name="X", land="BW", typ="gemeinde", einwohner=e, auslaendische_einwohner=0)
                    for e in (50, 2_000_000))
    geprueft = 0
    for regel in (g.regel for g in regelbasis.regeln.values()):
        if regel.foerderung is not None and not haengt_von_einwohnern(regel.foerderung, stichtag):
            assert berechne(regel.foerderung, klein, stichtag) == berechne(regel.foerderung, gross, stichtag), regel.id
            geprueft += 1
    assert geprueft > 10


def test_staffel_haengt_von_einwohnern():
    from engine.auswertung.betraege import haengt_von_einwohnern

    from .test_betraege import foerderung

    f = foerderung({"gueltig_ab": dt.date(2020, 1, 1), "berechnung": "staffel", "staffel": [
        {"einwohner_ab": 10000, "betrag": 10000}]}, {"gueltig_ab": dt.date(2018, 1, 1), "gueltig_bis": dt.date(2019, 12, 31),
                                                    "berechnung": "festbetrag", "betrag": 5000})
    assert haengt_von_einwohnern(f, dt.date(2021, 1, 1))
    assert not haengt_von_einwohnern(f, dt.date(2019, 1, 1))
    assert not haengt_von_einwohnern(f, dt.date(2017, 1, 1))  # kein Parameter


def _grund_alt(zensus, tag, f, zuschlaege):
    """Der Grund der Schätzung, wie ``alterung.schaetze`` ihn vor Issue 19 je Kommune ganz bildete."""
    from engine.zahlen import zahl

    return (f"geschätzte gemeldete ausländische Einwohner (Melderegister) am {tag:%d.%m.%Y}, fortgeschrieben aus dem "
            f"Zensus 2022 (15.05.2022: {zahl(zensus)} ausländische Einwohner, Anteil auf 0,1 Prozentpunkte gerundet); "
            + f.text
            + ("".join(f"; {z.text}" + (f": ± {zahl(z.anzahl)}" if z.anzahl else "") for z in zuschlaege)
               if zuschlaege else "")
            + ". Maßgeblich ist die Zahl der gemeldeten ausländischen Einwohner zum Stichtag der Norm – "
            "mit --auslaendische-einwohner prüfen")


@given(zensus=st.integers(0, 2_000_000), kreis=st.sampled_from(["06438", "09162", "11000", "03241", "00000"]),
       tag=st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31)), ebene=st.booleans(),
       zuschlaege=st.lists(st.tuples(st.integers(0, 5000), st.text(max_size=20)), max_size=2))
@settings(max_examples=300, deadline=None)
def test_grund_der_schaetzung_aus_teilen_wie_am_stueck(zensus, kreis, tag, ebene, zuschlaege):
    from engine.kommunen import alterung

    z = tuple(alterung.Zuschlag(a, t) for a, t in zuschlaege)
    s = alterung.schaetze(zensus, zensus, zensus, kreis, 10_000_000, tag, ebene, z)
    b = alterung.BREITE_KREISEBENE if ebene else alterung.BREITE_GEMEINDE
    f = alterung._kreisfaktoren(kreis, tag, ebene, alterung.REGISTERZUSCHLAG, b["unten"], b["oben"], b["je_jahr"])
    assert s.grund == _grund_alt(zensus, tag, f, z)


def test_kreisname_je_kreis_gemerkt_wie_gesucht():
    from engine.kommunen import daten

    for d in alle():
        k = daten._finde(d.kreis_ags) if d.kreis_ags else None
        erwartet = daten.anzeigename(k) if k is not None else daten._anzeigename(d.kreis_name)
        assert daten.kreis_anzeigename(d) == erwartet, d.ags


@given(teile=st.lists(st.tuples(st.booleans(), st.text(max_size=30)), max_size=12))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_text_und_bytes_beliebig_gemischt_ohne_flush_je_bytes(tmp_path, teile):
    """Bytes hinter Bytes brauchen keinen flush der Textschicht; die Datei ist dennoch alles in Reihenfolge."""
    from engine.ausgabe.dateien import AtomareDatei

    ziel = tmp_path / "x.csv"
    with AtomareDatei(ziel) as datei:
        for als_bytes, text in teile:
            datei.write(text.encode() if als_bytes else text)
    assert ziel.read_bytes() == "".join(t for _, t in teile).encode()


def test_zusammenfassung_zaehlt_wie_je_ergebnis():
    from collections import Counter

    from engine.auswertung.massen import Zusammenfassung

    kurz = [("a", "gilt"), ("b", "entfaellt"), ("a", "gilt"), ("c", "unbestimmt")]
    z = Zusammenfassung()
    z.erfasse("HE", kurz)
    z.erfasse("HE", kurz[:2])
    z.erfasse("SL", [])
    erwartet = Counter()
    for land, k in (("HE", kurz), ("HE", kurz[:2])):
        for rid, status in k:
            erwartet[(land, rid, status)] += 1
    assert z.zaehler == erwartet and list(z.zaehler) == list(erwartet)
    assert z.kommunen == Counter({"HE": 2, "SL": 1})
