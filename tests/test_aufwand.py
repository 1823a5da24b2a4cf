"""Wächter gegen Rückfälle in der Geschwindigkeit: gezählte Arbeit statt gemessener Zeit (Zeiten stehen in bench/).

6b44b89 machte ``batch`` viermal langsamer, ohne dass ein Test es merkte: jedes Profil suchte den Namen seines
Kreises mit einer Volltextsuche in den 1,95 MB der Gemeindedaten und zerlegte die gefundene Zeile erneut.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from engine.kommunen import daten

STICHTAG = dt.date(2025, 6, 1)


def test_alle_profile_zerlegen_jede_datenzeile_hoechstens_einmal(monkeypatch):
    zerlegt: Counter = Counter()
    original = daten._datensatz

    def zaehlend(zeile):
        zerlegt[zeile["ags"]] += 1
        return original(zeile)

    monkeypatch.setattr(daten, "_datensatz", zaehlend)
    monkeypatch.setenv("KOMMUNALPFLICHTEN_CACHE", "aus")  # jede Zeile wird zerlegt, nicht aus dem Speicher gelesen
    daten.alle.cache_clear()
    daten._nach_ags.cache_clear()
    profile = [d.profil(STICHTAG) for d in daten.alle()]
    assert len(profile) == 11_065
    mehrfach = {ags: n for ags, n in zerlegt.items() if n > 1}
    assert not mehrfach, f"{len(mehrfach)} Zeilen mehrfach zerlegt, z. B. {sorted(mehrfach.items())[:3]}"
    assert sum(zerlegt.values()) == len(profile)


def test_klassen_ohne_fakten_sind_die_schluessel_der_fakten(regelbasis, durable):
    """``KompilierterRegelsatz.klassen`` rechnet die Schlüssel aller Stützpunkte, ohne Fakten zu bauen – für jede
    Kommune zweier Länder mit vielen Schwellen und an zwei Stichtagen genau die Schlüssel der Fakten."""
    from engine.auswertung.kompilieren import kommune_fakt
    from engine.auswertung.varianten import plane

    geprueft = 0
    for tag in (STICHTAG, dt.date(2019, 1, 1)):
        for d in daten.alle():
            if d.land not in ("SL", "NW", "HB"):
                continue
            kommune = d.profil(tag)
            plan = plane(kommune, regelbasis)
            satz = durable.regelsatz(kommune.land, tag)
            erwartet = [satz.schluessel(kommune_fakt(kommune, satz, v)) for v in plan.varianten]
            assert satz.klassen(kommune, plan.varianten) == erwartet, d.ags
            assert _aus_teilen(satz, plan) == erwartet, d.ags
            geprueft += len(erwartet)
    assert geprueft > 10_000


def _aus_teilen(satz, plan) -> list[tuple]:
    """Die Klassen, wie ``DurableAuswerter.inferiere_plan`` sie aus Merkmals- und Zahlenteil zusammensetzt."""
    vorne, hinten = satz.klassenteile(plan.kommune, [b[0] for b in plan.belegungen], plan.punkte)
    return [v + h for v in vorne for h in hinten]


def _mit_spanne(kommune, breite: int):
    from engine.kommunen.profil import Spanne, Unsicherheit

    a = kommune.auslaendische_einwohner
    return kommune.ersetzt(unsicherheit=Unsicherheit(
        auslaendische_einwohner=Spanne(von=max(0, a - breite), bis=min(kommune.einwohner, a + breite)),
        einwohner=Spanne(von=kommune.einwohner, bis=kommune.einwohner + breite), grund="Test"))


def test_klassen_fuer_erzeugte_profile_mit_merkmalen_und_spannen(regelbasis, durable):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from engine.auswertung.kompilieren import kommune_fakt
    from engine.auswertung.varianten import plane

    from .strategien import profile, stichtage

    @settings(max_examples=300, deadline=None)
    @given(profile(), stichtage, st.integers(0, 3000))
    def pruefe(kommune, tag, breite):
        kommune = _mit_spanne(kommune, breite)
        plan = plane(kommune, regelbasis)
        einzeln = [plan.variante(i) for i in range(len(plan.punkte) * len(plan.belegungen))]  # vor ``varianten``
        assert einzeln == plan.varianten
        assert [(v.werte, v.komponente) for v in einzeln] == [(v.werte, v.komponente) for v in plan.varianten]
        satz = durable.regelsatz(kommune.land, tag)
        erwartet = [satz.schluessel(kommune_fakt(kommune, satz, v)) for v in plan.varianten]
        assert satz.klassen(kommune, plan.varianten) == erwartet
        assert _aus_teilen(satz, plan) == erwartet

    pruefe()


def _zeile(z) -> tuple:
    return z.ergebnisse, z.offen, z.vorbehalte


def test_zeilen_je_signatur_sind_die_einzeln_gerechneten(regelbasis, durable):
    """``massen.bewerte`` teilt ganze Zeilen je Signatur des Plans: über alle Kommunen von vier Ländern an zwei
    Stichtagen gleich den Zeilen ohne Zwischenspeicher (jeder Stützpunkt einzeln durch durable-rules)."""
    from engine.auswertung.massen import bewerte

    for tag in (STICHTAG, dt.date(2019, 1, 1)):
        speicher: dict = {}
        for d in daten.alle():
            if d.land in ("SL", "NW", "HB", "BB"):
                kommune = d.profil(tag)
                assert _zeile(bewerte(kommune, tag, regelbasis, durable, speicher)) == \
                    _zeile(bewerte(kommune, tag, regelbasis, durable, None)), d.ags
        assert any(isinstance(v, str) for k, v in speicher.items() if k[0] == "zeile")  # auch zahlenabhängige


def test_ganz_deutschland_fragt_durable_rules_nur_je_signatur(regelbasis, durable, monkeypatch):
    """Gezählte Arbeit: mit dem Zwischenspeicher der Massenauswertung läuft die Inferenz eines Plans nur für neue
    Signaturen – einige Hundert statt 11.065."""
    from engine.auswertung.massen import bewerte

    gerufen = []
    original = durable.inferiere_plan
    monkeypatch.setattr(durable, "inferiere_plan", lambda *a, **k: gerufen.append(1) or original(*a, **k))
    speicher: dict = {}
    for d in daten.alle():
        bewerte(d.profil(STICHTAG), STICHTAG, regelbasis, durable, speicher)
    assert 0 < len(gerufen) <= sum(1 for k in speicher if k[0] == "zeile") < 1_000


def test_zeilen_je_signatur_fuer_erzeugte_profile(regelbasis, durable):
    """Erzeugte Profile mit Merkmalen und Spannen, ein gemeinsamer Zwischenspeicher über alle Beispiele: jede Zeile
    gleich der ohne Zwischenspeicher."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from engine.auswertung.massen import bewerte

    from .strategien import profile, stichtage

    speicher: dict = {}

    @settings(max_examples=300, deadline=None)
    @given(profile(), stichtage, st.integers(0, 3000))
    def pruefe(kommune, tag, breite):
        kommune = _mit_spanne(kommune, breite)
        assert _zeile(bewerte(kommune, tag, regelbasis, durable, speicher)) == \
            _zeile(bewerte(kommune, tag, regelbasis, durable, None))

    pruefe()


def test_inferenzen_je_signatur_sind_die_einzeln_gerechneten(regelbasis, durable):
    """``inferiere_plan`` merkt sich Klassen und Inferenzen je Signatur: für jede Kommune dreier Länder dieselben wie
    ohne Zwischenspeicher."""
    from engine.auswertung.varianten import plane

    speicher: dict = {}
    for d in daten.alle():
        if d.land in ("SL", "HB", "BB"):
            kommune = d.profil(STICHTAG)
            geteilt, plan = durable.inferiere_plan(plane(kommune, regelbasis), STICHTAG, speicher), plane(kommune, regelbasis)
            einzeln = durable.inferiere_plan(plan, STICHTAG, None)
            assert [(i.tatbestaende, i.verdraengt) for i in geteilt] == [(i.tatbestaende, i.verdraengt) for i in einzeln]
            zweiter = plane(kommune, regelbasis)
            durable.inferiere_plan(zweiter, STICHTAG, speicher)
            assert zweiter.klassen == plan.klassen, d.ags


def test_gemerkte_tage_luecken_und_kontextzeilen_gleich_den_frisch_gerechneten(regelbasis):
    """Änderungstage je Land, Lücken je Land und Typ, Kontextzeilen je Regel, Fassung und Typ werden einmal gerechnet:
    gleich der Rechnung auf einer frisch geladenen Regelbasis, über alle Länder, Typen und Regeln."""
    import copy

    from engine.auswertung import bericht, vergleich
    from engine.begriffe import LAENDER

    frisch = copy.copy(regelbasis)
    for name in ("_aenderungstage", "_luecken"):
        frisch.__dict__.pop(name, None)
    for land, angaben in LAENDER.items():
        for von, bis in ((dt.date(2019, 1, 1), dt.date(2020, 1, 1)), (STICHTAG, dt.date(2026, 6, 1))):
            assert vergleich.aenderungstage(regelbasis, land, von, bis) == \
                [t for t in vergleich._alle_aenderungstage(frisch, land) if von < t <= bis]
        for typ in angaben.typen:
            kommune = next(d for d in daten.alle() if d.land == land).profil(STICHTAG).ersetzt(typ=typ)
            assert bericht.luecken(regelbasis, kommune) == bericht.luecken(frisch, kommune)
            for regel in regelbasis.fuer_land(land):
                for version in regel.versionen:
                    zeilen = bericht._kontext_zeilen(regel, version, kommune)
                    bericht._KONTEXT.clear()
                    assert bericht._kontext_zeilen(regel, version, kommune) == zeilen


def test_gemerkte_zahlenschwelle_gleich_der_frisch_gerechneten(regelbasis):
    """``_hat_zahlenschwelle`` merkt sich das Ergebnis je Bedingung: gleich der frischen Rechnung für jede Fassung."""
    from engine.auswertung import bericht

    for rid in regelbasis.regeln:
        for version in regelbasis.regel(rid).versionen:
            gemerkt = bericht._hat_zahlenschwelle(version.bedingung)
            bericht._ZAHLENSCHWELLE.clear()
            assert bericht._hat_zahlenschwelle(version.bedingung) == gemerkt


def test_gemerkte_anzeigenamen_gleich_den_frisch_gerechneten():
    for d in daten.alle():
        for name in (d.name, d.kreis_name or ""):
            assert daten._anzeigename(name) == daten._anzeigename.__wrapped__(name)
