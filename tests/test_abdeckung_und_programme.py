"""Abdeckung Land × Gegenstand (``regeln abdeckung``), Lücken im Bericht und Förderphasen in der Zeit (Issue 9)."""

from __future__ import annotations

import datetime as dt
import json

from click.testing import CliRunner

from cli.main import main
from engine.auswertung.bericht import erstelle_bericht
from engine.begriffe import ABGEDECKTE_GEGENSTAENDE, LAENDER
from engine.kommunen.daten import nach_ags
from engine.werkzeuge.abdeckung import abdeckung, vollstaendig

STAND = dt.date(2026, 12, 1)


def test_alle_16_laender_mal_7_gegenstaende_haben_eine_aussage(regelbasis):
    tabelle = abdeckung(regelbasis, STAND)
    assert set(tabelle) == set(LAENDER)
    assert all(set(zeile) == set(ABGEDECKTE_GEGENSTAENDE) for zeile in tabelle.values())
    assert vollstaendig(tabelle), {land: {g: z.text() for g, z in zeile.items() if z.fehlende_typen}
                                   for land, zeile in tabelle.items()}


def test_abdeckung_cli_markdown_und_exitcode():
    lauf = CliRunner().invoke(main, ["regeln", "abdeckung", "--stichtag", "2026-12-01", "--format", "markdown"])
    assert lauf.exit_code == 0, lauf.output
    assert lauf.stdout.startswith("| Land | Integrationsgremium |") and lauf.stdout.count("\n") == 18


def test_jeder_bericht_hat_luecken_im_json():
    daten = json.loads(CliRunner().invoke(main, ["check", "--ags", "06413000", "--format", "json",
                                                 "--stichtag", "2026-12-01"]).output)
    assert daten["luecken"] == []
    assert {e["gegenstand"] for e in daten["ergebnisse"]} >= set(ABGEDECKTE_GEGENSTAENDE) - {"integrationskoordination"}


def test_foerderphase_ohne_bestaetigte_fortsetzung_endet_mit_der_phase(regelbasis, durable):
    kreis = nach_ags("09162000").profil(dt.date(2027, 6, 1))  # München: BIR endet am 31.12.2026
    bericht = erstelle_bericht(kreis, dt.date(2027, 6, 1), regelbasis, durable)
    assert "by.bir.5.integrationslotsen" not in {e.regel.id for e in bericht.ergebnisse}
    beendet = {p.regel.id: p for p in bericht.beendete_programme}
    assert beendet["by.bir.5.integrationslotsen"].ende == dt.date(2026, 12, 31)
    assert beendet["by.bir.5.integrationslotsen"].fortfuehrung == "unbestaetigt"
    text = CliRunner().invoke(main, ["check", "--ags", "09162000", "--stichtag", "2027-06-01"]).output
    assert "Förderphase endete am 31.12.2026; Fortführung nicht bestätigt" in text


def test_fristen_nur_innerhalb_der_bestaetigten_phase(regelbasis, durable):
    # NI Koordinierungsstellen: Phase 2025 endet am 31.12.2025 – im Oktober 2025 keine Frist für 2026 erfinden
    kreis = nach_ags("03461").profil(dt.date(2025, 11, 15))
    bericht = erstelle_bericht(kreis, dt.date(2025, 11, 15), regelbasis, durable)
    ni = next(e for e in bericht.ergebnisse if e.regel.id == "ni.kmt.koordinierungsstellen")
    assert ni.foerderung.naechste_frist is None or ni.foerderung.naechste_frist <= dt.date(2025, 12, 31)
    assert ni.foerderung.laeuft_aus == dt.date(2025, 12, 31)


def test_paraphrasen_ohne_anfuehrungszeichen(regelbasis):
    """Kein wortlaut ist als Umschreibung markiert; Inhaltsangaben erscheinen als „Sinngemäß (nach …)“."""
    for g in regelbasis.regeln.values():
        for v in g.regel.versionen:
            assert not v.zitat.wortlaut or "sinngemäß" not in v.zitat.wortlaut.lower()
    text = CliRunner().invoke(main, ["check", "--ags", "10041", "--stichtag", "2026-12-01", "--ausfuehrlich"]).output
    assert "Sinngemäß" in text and "„Sinngemäß" not in text
