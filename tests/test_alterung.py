"""Zahlen, die ehrlich altern: Spannen wachsen mit dem Abstand zum Zensus, decken veröffentlichte Zahlen und sagen,
woher sie stammen (Issue 8)."""

from __future__ import annotations

import datetime as dt
import sys

import pytest

from engine.kommunen.alterung import ZENSUSTAG, kreisreihen, schaetze
from engine.kommunen.daten import nach_ags

from .conftest import WURZEL

sys.path.insert(0, str(WURZEL / "bench"))
import abdeckung_zahlen  # noqa: E402


def test_fixture_hat_mindestens_20_registerzahlen_mit_beleg():
    zeilen = abdeckung_zahlen.zeilen()
    register = [z for z in zeilen if z["basis"] in abdeckung_zahlen.ZAEHLT]
    assert len(register) >= 20
    for z in zeilen:
        nach_ags(z["ags"])  # jede AGS gibt es
        assert z["url"].startswith("http") and z["quelle"]
        ziffern = "".join(c for c in z["zitat"] if c.isdigit())
        assert str(z["auslaendische_einwohner"]).lstrip("0")[:3] in ziffern, z["name"]


def test_mindestens_90_prozent_in_der_spanne_oder_unbestimmt():
    e = abdeckung_zahlen.abdeckung()
    assert e["drin_oder_unbestimmt"] / e["gezaehlt"] >= 0.9, e


def test_spanne_waechst_mit_dem_abstand_zum_zensus():
    d = nach_ags("05154012")  # Geldern
    breite = []
    for tag in (ZENSUSTAG, dt.date(2023, 12, 31), dt.date(2025, 12, 31), dt.date(2030, 12, 31)):
        von, bis = d.profil(tag).spanne("auslaendische_einwohner")
        breite.append(bis - von)
    assert breite == sorted(breite) and breite[-1] > breite[0]


def test_nach_2024_wird_ohne_beleg_nur_mit_spanne_fortgeschrieben():
    reihe = next(iter(kreisreihen()))
    a = schaetze(1000, 995, 1005, reihe, 100_000, dt.date(2024, 12, 31), ist_kreisebene=True)
    b = schaetze(1000, 995, 1005, reihe, 100_000, dt.date(2027, 12, 31), ist_kreisebene=True)
    assert b.von <= a.von * 1.001 and b.bis > a.bis  # unten kein erfundenes Wachstum, oben bis 3 % je Jahr
    assert "Fortschreibung nach 2024" in b.grund and "Fortschreibung nach 2024" not in a.grund


@pytest.mark.parametrize("ags", ["05154012", "06413000", "11000008"])
def test_grund_nennt_quelle_stichtag_und_was_entscheidet(ags):
    k = nach_ags(ags).profil(dt.date(2025, 6, 1))
    assert "01.06.2025" in k.unsicherheit.grund or "31.12.2024" in k.unsicherheit.grund
    assert "Maßgeblich ist die Zahl der gemeldeten ausländischen Einwohner" in k.unsicherheit.grund


def test_geldern_2025_ist_unbestimmt_nicht_kann():
    """Geldern: mehr als 5.700 gemeldete Ausländer (2025), Zensus-Schätzung 4.741 – früher sagte die Engine „kann“."""
    from click.testing import CliRunner

    from cli.main import main
    import json

    daten = json.loads(CliRunner().invoke(main, ["check", "--ags", "05154012", "--stichtag", "2025-09-14",
                                                 "--format", "json"]).output)
    pflicht = [e for e in daten["ergebnisse"] if e["regel"] == "nw.go.27.integrationsrat"]
    assert pflicht and pflicht[0]["status"] == "unbestimmt"
    frage = next(f for f in pflicht[0]["offen"] if f["merkmal"] == "auslaendische_einwohner")
    assert frage["bedingung"] == "mindestens 5.000" and frage["wenn_ja"] == "gilt"
