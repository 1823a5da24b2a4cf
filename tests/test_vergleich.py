"""Vergleich zweier Rechtsstände und der Abschnitt „Demnächst“ (Issue 13): exakt an der Saarland-Novelle
(22.12.2023: 8 → 10 vom Hundert) und der Betragsänderung in Sachsen-Anhalt (18.12.2023: 84.280 → 112.680 €)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from cli.main import main
from engine.auswertung.vergleich import aenderungstage, demnaechst, vergleiche_kommune
from engine.kommunen.profil import Kommune

VON, BIS = dt.date(2023, 6, 1), dt.date(2024, 6, 1)


def _sl(anteil_promille: int) -> Kommune:
    return Kommune(name="Testgemeinde", land="SL", typ="gemeinde", einwohner=10_000,
                   auslaendische_einwohner=anteil_promille * 10)


def _lauf(*argumente: str) -> str:
    ergebnis = CliRunner().invoke(main, list(argumente), catch_exceptions=False)
    assert ergebnis.exit_code == 0, ergebnis.output
    return ergebnis.output


def _beirat(aenderungen):
    return [a for a in aenderungen if a.regel.id == "sl.ksvg.50.integrationsbeirat"]


def test_neun_prozent_fallen_aus_der_soll_pflicht(regelbasis, durable):
    beirat = _beirat(vergleiche_kommune(_sl(90), VON, BIS, regelbasis, durable))
    assert [a.art for a in beirat] == ["entfallen"]
    a = beirat[0]
    assert a.norm == "§ 50 Abs. 1 Satz 3 KSVG" and a.seit == dt.date(2023, 12, 22)
    assert "vorher: gilt" in a.einzelheiten[0]
    assert "§ 50 Abs. 1 Satz 1 KSVG" in a.einzelheiten[1] and "≥ 8 % → Ausländeranteil ≥ 10 %" in a.einzelheiten[1]


def test_genau_zehn_prozent_bleiben_mit_neuer_norm(regelbasis, durable):
    beirat = _beirat(vergleiche_kommune(_sl(100), VON, BIS, regelbasis, durable))
    assert [a.art for a in beirat] == ["geaendert"]
    assert "Norm § 50 Abs. 1 Satz 3 KSVG → § 50 Abs. 1 Satz 1 KSVG" in beirat[0].einzelheiten


@pytest.mark.parametrize("promille", [79, 0])
def test_unter_acht_prozent_aendert_sich_am_beirat_nichts(regelbasis, durable, promille):
    assert _beirat(vergleiche_kommune(_sl(promille), VON, BIS, regelbasis, durable)) == []


def test_gleiche_tage_gleiche_ergebnisse(regelbasis, durable):
    assert vergleiche_kommune(_sl(90), VON, VON, regelbasis, durable) == []


def test_sachsen_anhalt_betrag_exakt(regelbasis, durable):
    harz = Kommune(name="Landkreis Harz", land="ST", typ="landkreis", einwohner=208_000, auslaendische_einwohner=10_000)
    aenderungen = vergleiche_kommune(harz, VON, BIS, regelbasis, durable)
    foerderung = [a for a in aenderungen if a.regel.id == "st.rl_ksm.koordinierungsstellen_migration"]
    assert len(foerderung) == 1 and foerderung[0].art == "geaendert"
    assert "Höchstbetrag 84.280 € → 112.680 € je Jahr" in foerderung[0].einzelheiten
    assert foerderung[0].seit == dt.date(2023, 12, 18)
    # Regeln, deren geprüfter Zeitraum erst 2024 beginnt, sind keine Rechtsänderung
    assert all(a.art == "abdeckungsbeginn" for a in aenderungen if a.regel.abdeckung_ab is not None)


def test_vergleich_cli_saarland_nennt_gemeinden_mit_norm():
    ausgabe = _lauf("vergleich", "--von", "2023-06-01", "--bis", "2024-06-01", "--land", "SL", "--punktschaetzung")
    block = ausgabe.split("(sl.ksvg.50.integrationsbeirat)")[1].split("\n\n")[0]
    assert "bisher § 50 Abs. 1 Satz 3 KSVG bis 21.12.2023" in block and "§ 50 Abs. 1 Satz 1 KSVG" in block
    assert "fallen heraus" in block and "10041512  Großrosseln" in block
    mit_spanne = _lauf("vergleich", "--von", "2023-06-01", "--bis", "2024-06-01", "--land", "SL")
    assert "Status gilt → offen" in mit_spanne  # an der Schwelle bleibt es ehrlich offen


def test_vergleich_cli_kommune_und_csv(tmp_path):
    ziel = tmp_path / "aenderungen.csv"
    ausgabe = _lauf("vergleich", "--von", "2023-06-01", "--bis", "2024-06-01", "--ags", "15085", "--ausgabe", str(ziel))
    assert "GEÄNDERT – Koordinierungsstellen Migration" in ausgabe and "84.280 € → 112.680 €" in ausgabe
    assert "keine Rechtsänderung" in ausgabe
    zeilen = ziel.read_text(encoding="utf-8-sig").splitlines()
    assert zeilen[0].startswith("AGS;Kommune;Land;Regel") and any("st.rl_ksm" in z for z in zeilen[1:])


def test_vergleich_cli_fehler_deutsch():
    ergebnis = CliRunner().invoke(main, ["vergleich", "--von", "2024-06-01", "--bis", "2023-06-01", "--land", "SL"])
    assert ergebnis.exit_code == 2 and "--von muss vor --bis liegen" in ergebnis.output


@pytest.mark.parametrize("stichtag, drin", [(dt.date(2022, 12, 17), False), (dt.date(2022, 12, 18), True),
                                            (dt.date(2023, 12, 17), True), (dt.date(2023, 12, 18), False)])
def test_demnaechst_zwoelf_monate_grenzen(regelbasis, durable, stichtag, drin):
    harz = Kommune(name="Landkreis Harz", land="ST", typ="landkreis", einwohner=208_000, auslaendische_einwohner=10_000)
    eintraege = demnaechst(harz, stichtag, regelbasis, durable)
    betrag = [d for d in eintraege if d.regel == "st.rl_ksm.koordinierungsstellen_migration" and d.art == "rechtsaenderung"]
    assert bool(betrag) == drin
    if drin:
        assert betrag[0].datum == dt.date(2023, 12, 18) and "84.280 € → 112.680 €" in betrag[0].text


def test_aenderungstage_sind_beginn_und_tag_nach_dem_ende(regelbasis):
    tage = aenderungstage(regelbasis, "SL", dt.date(2023, 12, 21), dt.date(2023, 12, 22))
    assert tage == [dt.date(2023, 12, 22)]
    assert aenderungstage(regelbasis, "SL", dt.date(2023, 12, 22), dt.date(2023, 12, 23)) == []


def test_check_zeigt_demnaechst_in_text_und_json():
    text = _lauf("check", "--ags", "15085", "--stichtag", "2023-06-01")
    assert "DEMNÄCHST (bis 31.05.2024)" in text and "18.12.2023" in text and "84.280 € → 112.680 €" in text
    daten = json.loads(_lauf("check", "--ags", "15085", "--stichtag", "2023-06-01", "--format", "json"))
    assert {"datum": "2023-12-18", "art": "rechtsaenderung", "regel": "st.rl_ksm.koordinierungsstellen_migration"}.items() \
        <= daten["demnaechst"][0].items()
    ohne = _lauf("check", "--ags", "15085", "--stichtag", "2024-06-01")
    assert "18.12.2023" not in (ohne.split("DEMNÄCHST")[1].split("\n\n")[0] if "DEMNÄCHST" in ohne else "")


def test_markdown_hat_demnaechst():
    md = _lauf("check", "--ags", "10041100", "--stichtag", "2023-06-01", "--format", "markdown")
    assert "## Demnächst" in md and "**22.12.2023**" in md


def test_endende_foerderphase_steht_einmal_da(regelbasis, durable):
    """Bayern, Integrationslotsen (BIR Nr. 5) enden am 31.12.2026: „Förderphase endet“ – nicht zusätzlich „entfällt“
    am Folgetag."""
    kreis = Kommune(name="Landkreis", land="BY", typ="landkreis", einwohner=350_000, auslaendische_einwohner=70_000)
    from engine.auswertung.bericht import erstelle_bericht

    bericht = erstelle_bericht(kreis, dt.date(2026, 12, 1), regelbasis, durable)
    bir = [d for d in bericht.demnaechst if d.regel == "by.bir.5.integrationslotsen"]
    assert [(d.datum, d.art) for d in bir] == [(dt.date(2026, 12, 31), "foerderphase_endet")]
