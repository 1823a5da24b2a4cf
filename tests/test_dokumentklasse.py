"""JSONL je Dokumentklasse und Vorlage (Issue 19): ``batch`` baut den Bericht einer Kommune aus einem Stellvertreter,
der nur die Angaben trägt, nach denen die Regeln ihres Landes fragen, und in Ländern mit Zahlenschwellen aus einer
Vorlage je Beurteilung, in die nur die Einträge mit den Zahlen der Kommune eingesetzt werden. Jede Zeile muss genau
das Dokument von ``check --format json`` sein – hier gegen den Bericht aus dem vollen Profil geprüft: an drei
Stichtagen über ganz Deutschland verteilt, für ganze Folgen von Orten derselben Länder (dort greifen Klassen und
Vorlagen) und für erfundene Zahlen und Merkmale (hypothesis)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.ausgabe import json_vertrag, jsonl_format
from engine.ausgabe.json_vertrag import bericht_json, json_text
from engine.ausgabe.jsonl_format import JsonlFormat
from engine.auswertung.bericht import NichtErfuellt, erstelle_bericht
from engine.auswertung.dokumentklasse import ZAHLENANGABEN, im_land_gefragt, schluessel, stellvertreter
from engine.felder import MERKMALE
from engine.kommunen import daten
from engine.kommunen.profil import Spanne, Unsicherheit

STICHTAGE = [dt.date(2019, 3, 1), dt.date(2025, 6, 1), dt.date(2031, 1, 1)]
ZAHLENLAENDER = ("RP", "HE", "NW", "SL", "MV")


def _erwartet(kommune, tag, regelbasis, durable) -> bytes:
    return json_text(bericht_json(erstelle_bericht(kommune, tag, regelbasis, durable)), kompakt=True).encode()


def _folge() -> list:
    """Jeder 13. Ort Deutschlands und je Land mit Zahlenschwellen eine zusammenhängende Folge (gleiche Klassen)."""
    alle = daten.alle()
    folge = list(alle[::13])
    for land in ZAHLENLAENDER:
        folge += [d for d in alle if d.land == land][:90]
    return folge


@pytest.mark.parametrize("tag", STICHTAGE, ids=str)
def test_jede_zeile_ist_das_dokument_des_vollen_profils(regelbasis, durable, tag):
    format_ = JsonlFormat(regelbasis, tag)
    speicher: dict = {}
    for d in _folge():
        kommune = d.profil(tag)
        assert format_(kommune, tag, regelbasis, durable, speicher)[1] == _erwartet(kommune, tag, regelbasis, durable), \
            (d.ags, tag)
    assert format_._klassen and format_._vorlagen and format_._rahmen  # alle drei Wege kamen vor


def _merkmalswerte():
    werte = {}
    for name, feld in MERKMALE.items():
        werte[name] = st.sampled_from([True, False, None]) if feld.art == "wahrheitswert" \
            else st.one_of(st.none(), st.integers(0, 400))
    return st.fixed_dictionaries({}, optional=werte)


_FORMATE: dict = {}  # je Stichtag ein Format und ein Zwischenspeicher über alle Beispiele: Klassen und Vorlagen greifen


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ort=st.integers(0, 10**6), auslaender=st.integers(0, 60_000), einwohner_mehr=st.integers(1, 250_000),
       unten=st.integers(0, 3000), oben=st.integers(0, 3000), mit_spanne=st.booleans(), merkmale=_merkmalswerte(),
       tag=st.sampled_from(STICHTAGE))
def test_erfundene_zahlen_und_merkmale_in_laendern_mit_schwellen(regelbasis, durable, ort, auslaender,
                                                                  einwohner_mehr, unten, oben, mit_spanne, merkmale,
                                                                  tag):
    """Zahlen nah an und fern von jeder Schwelle, mit und ohne Spanne, mit beliebigen Merkmalen: dieselbe Zeile wie
    aus dem vollen Profil – auch wenn eine Vorlage einer anderen Kommune mit gleicher Beurteilung greift."""
    kandidaten = [d for d in daten.alle() if d.land in ZAHLENLAENDER]
    d = kandidaten[ort % len(kandidaten)]
    einwohner = auslaender + einwohner_mehr
    unsicherheit = None
    if mit_spanne:
        e_von = max(auslaender, einwohner - unten)
        unsicherheit = Unsicherheit.vertraut(
            einwohner=Spanne.vertraut(von=e_von, bis=einwohner + oben),
            auslaendische_einwohner=Spanne.vertraut(von=max(0, auslaender - unten), bis=min(auslaender + oben, e_von)),
            grund="erfundene Spanne (Test)")
    kommune = d.profil(tag).ersetzt(einwohner=einwohner, auslaendische_einwohner=auslaender,
                                    unsicherheit=unsicherheit, merkmale=merkmale, merkmal_quellen={})
    format_, speicher = _FORMATE.setdefault((id(regelbasis), tag), (JsonlFormat(regelbasis, tag), {}))
    assert format_(kommune, tag, regelbasis, durable, speicher)[1] == _erwartet(kommune, tag, regelbasis, durable)


def test_schluessel_traegt_nur_was_die_regeln_des_landes_lesen():
    tag = STICHTAGE[1]
    by = [d.profil(tag) for d in daten.alle() if d.land == "BY"][:2]
    rp = [d.profil(tag) for d in daten.alle() if d.land == "RP" and d.typ == "ortsgemeinde"][:2]
    from engine.regeln.basis import lade_regelbasis

    regelbasis = lade_regelbasis()
    assert im_land_gefragt(regelbasis, "BY")[1] is False and im_land_gefragt(regelbasis, "RP")[1] is True
    # Bayern: keine Regel liest Zahlen – zwei Gemeinden gleichen Typs haben denselben Schlüssel
    assert by[0].typ == by[1].typ and by[0].einwohner != by[1].einwohner
    assert schluessel(by[0], regelbasis) == schluessel(by[1], regelbasis)
    vertreter = stellvertreter(by[0], regelbasis)
    assert (vertreter.name, vertreter.ags, vertreter.quelle, vertreter.einwohner, vertreter.unsicherheit) == \
        ("", None, None, 0, None)
    # Rheinland-Pfalz: der Beirat hängt an der Zahl der ausländischen Einwohner – sie steht im Schlüssel
    assert schluessel(rp[0], regelbasis) != schluessel(rp[1], regelbasis)
    assert schluessel(rp[0], regelbasis)[-1] == tuple(getattr(rp[0], f) for f in ZAHLENANGABEN)
    assert stellvertreter(rp[0], regelbasis).auslaendische_einwohner == rp[0].auslaendische_einwohner
    # ein Merkmal, nach dem keine Regel fragt, ändert den Schlüssel nicht; ein gefragtes schon
    anders = by[0].ersetzt(merkmale={"integrationsrat_gebildet": True})
    assert schluessel(anders, regelbasis) == schluessel(by[0], regelbasis)
    gefragt = im_land_gefragt(regelbasis, "RP")[0]
    assert "beiratswahl_ausgefallen" in gefragt
    assert schluessel(rp[0].ersetzt(merkmale={"beiratswahl_ausgefallen": True}), regelbasis) != \
        schluessel(rp[0], regelbasis)


def test_nicht_erfuellt_hat_nur_die_felder_des_rahmens():
    """Der Rahmen einer nicht erfüllten Regel hat als Schlüssel Regel und Fassung, Begründung und Abstand sind seine
    Löcher. Bekommt ``NichtErfuellt`` ein Feld, muss es in den Schlüssel oder ein Loch werden."""
    assert {f.name for f in dataclasses.fields(NichtErfuellt)} == {"regel", "version_index", "begruendung", "abstand"}


def test_platzhalterzeichen_in_einem_regeltext_ohne_vorlage_und_rahmen(regelbasis, durable, monkeypatch):
    """Steht U+E000 in einem Text der Regelbasis (hier in jedem Titel einer nicht erfüllten Regel), setzen Vorlage
    und Rahmen keine Platzhalter ein – die Zeilen bleiben das Dokument des Berichts."""
    original = json_vertrag.nicht_erfuellt_json

    def mit_zeichen(n):
        eintrag = original(n)
        eintrag["titel"] = "\ue000" + eintrag["titel"] + "\ue0000"
        return eintrag

    monkeypatch.setattr(json_vertrag, "nicht_erfuellt_json", mit_zeichen)
    monkeypatch.setattr(jsonl_format, "nicht_erfuellt_json", mit_zeichen)
    tag = STICHTAGE[1]
    format_ = JsonlFormat(regelbasis, tag)
    speicher: dict = {}
    gesehen = 0
    for d in [x for x in daten.alle() if x.land in ("RP", "HE")][:60]:
        kommune = d.profil(tag)
        zeile = format_(kommune, tag, regelbasis, durable, speicher)[1]
        assert zeile == _erwartet(kommune, tag, regelbasis, durable), d.ags
        gesehen += "\ue000".encode() in zeile
    assert gesehen > 10


def test_platzhalterzeichen_und_steuerzeichen_im_grund_der_spanne(regelbasis, durable):
    """Der Grund einer Spanne kommt aus dem Profil der Nutzerin und steht in Einträgen mit Zahlen (Löcher der Vorlage):
    U+E000 und Steuerzeichen darin ändern nichts am Dokument."""
    tag = STICHTAGE[1]
    format_ = JsonlFormat(regelbasis, tag)
    speicher: dict = {}
    for d in [x for x in daten.alle() if x.land in ("RP", "SL")][:80]:
        k = d.profil(tag)
        grund = f"\ue000{k.unsicherheit.grund}\ue0001 \x1b[2J\u202e"
        kommune = k.ersetzt(unsicherheit=dataclasses.replace(k.unsicherheit, grund=grund))
        assert format_(kommune, tag, regelbasis, durable, speicher)[1] == _erwartet(kommune, tag, regelbasis, durable)


def test_demnaechst_haengt_an_den_klassen_kuenftiger_tage():
    """Szenario (b): ab 01.01.2027 eine Bundesregel für Gemeinden ab 20.000 Einwohnern. Am 01.06.2026 haben zwei
    bayerische Gemeinden heute dieselbe Beurteilung, ab 2027 aber nicht – „Demnächst“ (und sein Zwischenspeicher) muss
    sie auseinanderhalten."""
    from engine.auswertung.durable import auswerter_fuer
    from engine.regeln.basis import lade_regelbasis

    regelbasis = lade_regelbasis(szenario=[Path(__file__).parent.parent / "rules" / "szenarien" / "b_gemeinden_ab_20000"])
    auswerter = auswerter_fuer(regelbasis)
    tag = dt.date(2026, 6, 1)
    format_ = JsonlFormat(regelbasis, tag)
    speicher: dict = {}
    bayern = [d for d in daten.alle() if d.land == "BY" and d.typ == "gemeinde"]
    folge = [d for d in bayern if 12_000 < d.einwohner < 30_000][:40] + bayern[:40]
    neu = 0
    for d in folge:
        kommune = d.profil(tag)
        zeile = format_(kommune, tag, regelbasis, auswerter, speicher)[1]
        assert zeile == _erwartet(kommune, tag, regelbasis, auswerter), d.ags
        neu += b"Szenario b" in zeile.split(b'"demnaechst":')[1]
    assert 0 < neu < len(folge)  # für manche kommt die Pflicht, für andere nicht


def test_demnaechst_haengt_an_den_merkmalen(tmp_path):
    """Eine künftige Regel fragt nach einem Merkmal, nach dem heute keine fragt: zwei Gemeinden, die sich nur darin
    unterscheiden, haben heute dieselben Klassen und dieselbe Lage der Zahlen – „Demnächst“ muss sie trotzdem
    auseinanderhalten (die Merkmale stehen im Schlüssel)."""
    from engine.auswertung.durable import auswerter_fuer
    from engine.regeln.basis import lade_regelbasis

    vorlage = (Path(__file__).parent.parent / "rules" / "szenarien" / "b_gemeinden_ab_20000"
               / "de.szenario_b.koordination_gemeinde.yaml").read_text(encoding="utf-8")
    alt = "  bedingung:\n    feld: einwohner\n    op: gte\n    wert: 20000\n    bezeichnung: Einwohner (Größenklasse der Tabelle 4 der Studie)\n"
    assert alt in vorlage
    text = vorlage.replace("id: de.szenario_b.koordination_gemeinde", "id: de.szenario_t.merkmal").replace(
        alt, "  bedingung: {feld: eigenes_jugendamt, op: eq, wert: true}\n")
    (tmp_path / "de.szenario_t.merkmal.yaml").write_text(text, encoding="utf-8")
    regelbasis = lade_regelbasis(szenario=[tmp_path])
    auswerter = auswerter_fuer(regelbasis)
    tag = dt.date(2026, 6, 1)
    format_ = JsonlFormat(regelbasis, tag)
    speicher: dict = {}
    ort = next(d for d in daten.alle() if d.land == "BY" and d.typ == "gemeinde")
    zeilen = []
    for wert in (True, False, True, False):
        kommune = ort.profil(tag).ersetzt(merkmale={"eigenes_jugendamt": wert})
        zeile = format_(kommune, tag, regelbasis, auswerter, speicher)[1]
        assert zeile == _erwartet(kommune, tag, regelbasis, auswerter), wert
        zeilen.append(zeile.split(b'"demnaechst":')[1])
    assert zeilen[0] == zeilen[2] != zeilen[1] == zeilen[3]
