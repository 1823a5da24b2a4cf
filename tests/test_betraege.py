"""Förderhöhen: exakt aus datierten Parametern, mit Rechnung in Worten; Fristen und Auslaufen."""

from __future__ import annotations

import datetime as dt

import pytest

from engine.auswertung.betraege import berechne, euro, naechste_frist
from engine.kommunen.profil import Kommune
from engine.regeln import format as regelformat
from engine.regeln.modell import Foerderung


def foerderung(*parameter, frist=None) -> Foerderung:
    return regelformat.in_laufzeit(regelformat.Foerderung.model_validate({
        "programm": "Test", "foerdergeber": "Land", "parameter": list(parameter), "antragsfrist_jaehrlich": frist}))


def kommune(einwohner=25_000) -> Kommune:
    return Kommune(name="X", land="BW", typ="gemeinde", einwohner=einwohner, auslaendische_einwohner=0)


TAG = dt.date(2024, 6, 1)


def test_je_stelle_mit_zusatz():
    f = foerderung({"gueltig_ab": dt.date(2022, 1, 1), "berechnung": "je_stelle", "stellen": 2, "betrag": 60000,
                    "zusatz": [{"bezeichnung": "Mitarbeitsstelle", "betrag": 20000}, {"bezeichnung": "Mikroprojekte", "betrag": 5000}]})
    b = berechne(f, kommune(), TAG)
    assert b.hoechstbetrag_jahr == 145_000
    assert "2 Stellen × bis zu 60.000 €" in b.rechnung and "= 145.000 €" in b.rechnung


def test_bruchteile_von_stellen_exakt():
    f = foerderung({"gueltig_ab": dt.date(2022, 1, 1), "berechnung": "je_stelle", "stellen": 5.5, "betrag": 57000})
    b = berechne(f, kommune(), TAG)
    assert b.hoechstbetrag_jahr == 313_500 and "5,5 Stellen" in b.rechnung


def test_anteil_mit_bemessungsgrenze():
    f = foerderung({"gueltig_ab": dt.date(2022, 1, 1), "berechnung": "anteil", "foerdersatz": 50, "bemessungsgrenze": 70000})
    b = berechne(f, kommune(), TAG)
    assert b.hoechstbetrag_jahr == 35_000 and "50 %" in b.rechnung and "70.000 €" in b.rechnung


def test_deckel_je_antragsteller():
    f = foerderung({"gueltig_ab": dt.date(2023, 12, 18), "berechnung": "je_stelle", "stellen": 3, "betrag": 56340,
                    "hoechstbetrag": 112680})
    b = berechne(f, kommune(), TAG)
    assert b.hoechstbetrag_jahr == 112_680 and "gedeckelt" in b.rechnung


@pytest.mark.parametrize("einwohner, betrag", [(9_999, None), (10_000, 10_000), (19_999, 10_000), (20_000, 20_000)])
def test_staffel_nach_einwohnern_grenzen_einschliesslich(einwohner, betrag):
    f = foerderung({"gueltig_ab": dt.date(2020, 1, 1), "berechnung": "staffel", "staffel": [
        {"einwohner_ab": 10000, "einwohner_bis": 19999, "betrag": 10000},
        {"einwohner_ab": 20000, "betrag": 20000}]})
    b = berechne(f, kommune(einwohner), TAG)
    assert b.hoechstbetrag_jahr == betrag
    if betrag is None:
        assert "keinen Betrag" in b.rechnung


def test_parameter_sind_datiert_tag_davor_erster_tag():
    f = foerderung(
        {"gueltig_ab": dt.date(2016, 1, 1), "gueltig_bis": dt.date(2023, 12, 17), "berechnung": "festbetrag", "betrag": 84280},
        {"gueltig_ab": dt.date(2023, 12, 18), "berechnung": "je_stelle", "stellen": 2, "betrag": 56340},
    )
    assert berechne(f, kommune(), dt.date(2023, 12, 17)).hoechstbetrag_jahr == 84_280
    assert berechne(f, kommune(), dt.date(2023, 12, 18)).hoechstbetrag_jahr == 112_680
    assert berechne(f, kommune(), dt.date(2015, 12, 31)).hoechstbetrag_jahr is None


def test_offen_sagt_wovon_es_abhaengt():
    f = foerderung({"gueltig_ab": dt.date(2020, 1, 1), "berechnung": "offen", "abhaengig_von": "Verteilung nach § 29d FAG"})
    b = berechne(f, kommune(), TAG)
    assert b.hoechstbetrag_jahr is None and "§ 29d FAG" in b.rechnung


def test_naechste_jaehrliche_frist():
    f = foerderung(frist="10-31")
    assert naechste_frist(f, dt.date(2024, 10, 31)) == dt.date(2024, 10, 31)
    assert naechste_frist(f, dt.date(2024, 11, 1)) == dt.date(2025, 10, 31)
    assert naechste_frist(foerderung(), TAG) is None


def test_euro_format():
    assert euro(145000) == "145.000 €"
