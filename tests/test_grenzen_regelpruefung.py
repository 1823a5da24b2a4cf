"""Grenzen, die ``regeln pruefen`` und ``check`` vor feindlichen Regelbasen schützen (Issue 14)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.regeln.logik import dnf, dnf_groesse
from engine.regeln.modell import Alle, Eine, Nicht, Vergleich, prozentwert
from engine.werkzeuge import logikpruefung as pruefung  # die Logikprüfung und ihr Aufwand


def _vergleich(i: int, op: str = "gt") -> Vergleich:
    return Vergleich(feld="einwohner", op=op, wert=[i, i + 1] if op == "in" else i)


bedingungen = st.recursive(
    st.builds(_vergleich, st.integers(0, 100), st.sampled_from(["gt", "lte", "in", "eq"])),
    lambda kinder: st.one_of(st.builds(lambda t: Alle(alle=t), st.lists(kinder, max_size=3)),
                             st.builds(lambda t: Eine(eine=t), st.lists(kinder, min_size=1, max_size=3)),
                             st.builds(lambda t: Nicht(nicht=t), kinder)),
    max_leaves=10)


@settings(max_examples=300, deadline=None)
@given(bedingungen, st.booleans())
def test_groesse_der_normalform_ohne_ausrechnen(bedingung, negiert):
    assert dnf_groesse(bedingung, negiert) == len(dnf(bedingung, negiert))


def test_zwei_hoch_dreissig_wird_gezaehlt_nicht_ausgerechnet():
    b = Alle(alle=[Eine(eine=[_vergleich(i), _vergleich(i + 1)]) for i in range(30)])
    assert dnf_groesse(b) == 2**30


@pytest.mark.parametrize("wert", ["Infinity", "-inf", "NaN", "1e999999999", "sNaN", "1E+13"])
def test_prozentwert_nur_endlich_und_in_sinnvoller_groesse(wert):
    with pytest.raises(ValueError, match="endliche Zahl"):
        prozentwert(wert)


@pytest.mark.parametrize("wert, bruch", [("10", Fraction(10)), ("8,5 %", Fraction(17, 2)), (0.1, Fraction(1, 10))])
def test_prozentwert_bleibt_exakt(wert, bruch):
    assert prozentwert(wert) == bruch


def test_uebersprungene_logikpruefung_meldet_nichts_als_unerreichbar(regelbasis, monkeypatch):
    """Früher meldete eine übersprungene Prüfung jede Regel als „unerreichbar“ (416 falsche Fehler)."""
    monkeypatch.setattr(pruefung, "AUFWAND_JE_GRUPPE", 10)
    meldungen = pruefung.pruefe_logik(regelbasis, dt.date(2026, 12, 1))
    assert meldungen and all(m.schwere == "warnung" and "übersprungen" in m.text for m in meldungen)


def test_gesamtbudget_begrenzt_die_logikpruefung(regelbasis, monkeypatch):
    monkeypatch.setattr(pruefung, "AUFWAND_GESAMT", 2_000)
    meldungen = pruefung.pruefe_logik(regelbasis, dt.date(2026, 12, 1))
    assert any("Gesamtbudget" in m.text for m in meldungen)
    assert not any("Unerreichbar" in m.text for m in meldungen)


def test_auszulassende_laender_werden_nicht_geprueft(regelbasis):
    alle = pruefung.pruefe_logik(regelbasis, dt.date(2026, 12, 1), auslassen=frozenset(regelbasis.laender()))
    assert alle == []


def test_die_mitgelieferte_regelbasis_bleibt_weit_unter_dem_budget(regelbasis):
    assert pruefung.pruefe_logik(regelbasis, dt.date(2026, 12, 1)) == []
