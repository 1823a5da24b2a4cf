"""Issue 3: Förderprogramme und bestehende Pflichtaufgaben an echten Beispielkommunen, mit Beträgen und Stichtagen."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cli.main import main

from .conftest import BEISPIELE


def check(beispiel: str, stichtag: str) -> dict[str, dict]:
    lauf = CliRunner().invoke(main, ["check", str(BEISPIELE / f"{beispiel}.yaml"), "--format", "json", "--stichtag", stichtag])
    assert lauf.exit_code == 0, lauf.output
    return {e["regel"]: e for e in json.loads(lauf.output)["ergebnisse"]}


def programme(ergebnisse: dict) -> dict[str, int | None]:
    return {rid: e["foerderung"]["hoechstbetrag_jahr"] for rid, e in ergebnisse.items() if e["art"] == "foerderung"}


def pflichten(ergebnisse: dict) -> set[str]:
    return {e["gegenstand"] for e in ergebnisse.values() if e["art"] == "pflicht" and e["verbindlichkeit"] == "muss"}


@pytest.mark.parametrize(
    "beispiel, stichtag, erwartete_programme, nicht_erwartet, erwartete_pflichten",
    [
        # Hessischer Landkreis: WIR-Vielfaltszentren 2 × 60.000 + 20.000 + 5.000
        ("main-kinzig-kreis", "2025-06-01", {"he.wir.vielfaltszentren": 145_000}, {"he.wir.kiv"},
         {"auslaenderbehoerde", "unterbringung", "jugendamt"}),
        # Sonderstatusstadt: Vielfaltszentren ja, eigene Ausländerbehörde
        ("giessen", "2025-06-01", {"he.wir.vielfaltszentren": 145_000}, set(), {"auslaenderbehoerde", "integrationsgremium"}),
        # kreisangehörige Gemeinde in Hessen: kein Vielfaltszentrum (Beinahe-Treffer), keine Ausländerbehörde
        ("stockstadt-am-rhein", "2025-06-01", {}, {"he.wir.vielfaltszentren", "he.auslzustv.auslaenderbehoerde"},
         {"unterbringung", "integrationsgremium"}),
        # NRW-Kreis mit Integrationskonzept: KI 6 × 57.000 + 22.500 (RL 2025)
        ("kreis-coesfeld", "2025-06-01", {"nw.tintg.8.ki_kreis": 364_500, "nw.tintg.9.kim": None}, set(),
         {"auslaenderbehoerde", "jugendamt"}),
        # derselbe Kreis ohne Integrationskonzept und ohne KI: weder KI- noch KIM-Förderung
        ("kreis-coesfeld-ohne-integrationskonzept", "2025-06-01", {}, {"nw.tintg.8.ki_kreis", "nw.tintg.9.kim"}, set()),
        # NRW Große kreisangehörige Stadt mit ABH, Jugendamt, Integrationsrat: zusätzliche KIM-Stelle über den Kreis
        ("neuss", "2025-06-01", {"nw.tintg.9.kim_zusaetzliche_koordinierungsstelle": 57_000}, {"nw.tintg.8.ki_kreis"},
         {"auslaenderbehoerde", "jugendamt", "unterbringung", "integrationsgremium"}),
        # Niedersachsen: Landkreis und Stadt Göttingen förderfähig (50 % von 70.000), große selbständige Stadt nicht
        ("landkreis-osnabrueck", "2024-06-01", {"ni.kmt.koordinierungsstellen": 35_000}, set(), {"auslaenderbehoerde"}),
        ("goettingen", "2024-06-01", {"ni.kmt.koordinierungsstellen": 35_000}, set(), {"auslaenderbehoerde"}),
        ("hildesheim", "2024-06-01", {}, {"ni.kmt.koordinierungsstellen"}, {"auslaenderbehoerde", "unterbringung"}),
        # NI: Förderung 2025 belegt (Bescheid Wesermarsch), 2026 nicht – die Förderphase endet am 31.12.2025
        ("landkreis-osnabrueck", "2025-06-01", {"ni.kmt.koordinierungsstellen": 35_000}, set(), set()),
        ("landkreis-osnabrueck", "2026-01-01", {}, {"ni.kmt.koordinierungsstellen"}, set()),
        # BW Große Kreisstadt mit rund 25.000 Einwohnern: Integrationsbeauftragte; Förderhöhe offen, weil die Stufen
        # unter 20.000 Einwohnern nicht belegt sind (eine Regel ohne Einwohnerschwelle, Prüfbericht 2026-12)
        ("stutensee", "2025-06-01", {"bw.vwv_ib.integrationsbeauftragte": None}, set(), {"auslaenderbehoerde", "unterbringung"}),
        # Sachsen-Anhalt: Höchstbeträge vor und nach dem Erlass vom 18.12.2023
        ("landkreis-harz", "2023-06-01", {"st.rl_ksm.koordinierungsstellen_migration": 84_280}, set(), set()),
        ("landkreis-harz", "2024-06-01", {"st.rl_ksm.koordinierungsstellen_migration": 112_680}, set(), {"auslaenderbehoerde"}),
        # Bayerischer Landkreis: Integrationslotsen (BIR Nr. 5), Landratsamt als Staatsbehörde
        ("landkreis-fuerstenfeldbruck", "2025-06-01", {"by.bir.5.integrationslotsen": None}, set(),
         {"auslaenderbehoerde", "unterbringung", "jugendamt"}),
    ],
)
def test_programme_und_pflichten(beispiel, stichtag, erwartete_programme, nicht_erwartet, erwartete_pflichten):
    ergebnisse = check(beispiel, stichtag)
    gefunden = programme(ergebnisse)
    for rid, betrag in erwartete_programme.items():
        assert rid in gefunden, (rid, sorted(gefunden))
        assert gefunden[rid] == betrag, (rid, gefunden[rid], ergebnisse[rid]["foerderung"]["berechnung"])
    for rid in nicht_erwartet:
        assert rid not in ergebnisse, rid
    assert erwartete_pflichten <= pflichten(ergebnisse), pflichten(ergebnisse)


def test_foerderergebnis_ist_keine_zusage_und_nennt_frist_und_behoerde():
    e = check("landkreis-osnabrueck", "2024-06-01")["ni.kmt.koordinierungsstellen"]["foerderung"]
    assert e["einschaetzung"].startswith("grundsätzlich förderfähig")
    assert e["haushaltsvorbehalt"] is True
    assert e["naechste_antragsfrist"] == "2024-10-31"
    assert e["bewilligungsbehoerde"]
    assert "50 %" in e["berechnung"] and "70.000 €" in e["berechnung"]


def test_auslaufendes_programm_wird_angekuendigt():
    # die Phase 2022–2024 geht nahtlos in die Phase 2025 über: sie „läuft“ nicht aus; die Phase 2025 hat keine
    # bestätigte Fortsetzung und endet am 31.12.2025
    assert check("landkreis-osnabrueck", "2024-10-01")["ni.kmt.koordinierungsstellen"]["foerderung"]["laeuft_aus"] is None
    e = check("landkreis-osnabrueck", "2025-10-01")["ni.kmt.koordinierungsstellen"]["foerderung"]
    assert e["laeuft_aus"] == "2025-12-31"
    assert check("landkreis-osnabrueck", "2025-01-01")["ni.kmt.koordinierungsstellen"]["foerderung"]["laeuft_aus"] is None


def test_text_sagt_grundsaetzlich_foerderfaehig():
    lauf = CliRunner().invoke(main, ["check", str(BEISPIELE / "main-kinzig-kreis.yaml"), "--stichtag", "2025-06-01"])
    assert "FÖRDERPROGRAMME DES LANDES" in lauf.output and "kein Rechtsanspruch" in lauf.output
    blick = lauf.output.split("AUF EINEN BLICK")[1].split("\n\n")[0]
    assert "bis zu 145.000 € je Jahr" in blick  # der Betrag steht einmal, in der Übersicht
    assert "Ausländerbehörde" in lauf.output
    voll = CliRunner().invoke(main, ["check", str(BEISPIELE / "main-kinzig-kreis.yaml"), "--stichtag", "2025-06-01",
                                     "--ausfuehrlich"]).output
    assert "Höhe: bis zu 145.000 € je Jahr" in voll and "Aufgabentyp:" in voll


def test_jedes_flaechenland_regelt_auslaenderbehoerde_und_unterbringung(regelbasis):
    from engine.begriffe import LAENDER

    for code, land in LAENDER.items():
        gegenstaende = {r.gegenstand for r in regelbasis.fuer_land(code) if r.land == code}
        if not land.stadtstaat:
            assert {"auslaenderbehoerde", "unterbringung"} <= gegenstaende, code
