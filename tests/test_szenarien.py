"""Reformszenarien (Issue 13): Überlagerung der Regelbasis, Kennzeichnung „Szenario – kein geltendes Recht“,
Wirkungsbericht gleich der Massenauswertung auf der überlagerten Regelbasis, und kein Entwurf sickert in ein
normales ``check``."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil

import pytest
from click.testing import CliRunner

from cli.main import main
from engine.auswertung.durable import auswerter_fuer
from engine.auswertung.szenario import beginn, szenario_regeln, wirkung
from engine.auswertung.massen import bewerte
from engine.begriffe import Art, Status, Verbindlichkeit, konkrete_typen
from engine.fehler import EingabeFehler
from engine.kommunen.daten import alle
from engine.regeln.basis import lade_regelbasis, regeldateien, standard_regelverzeichnis
from engine.werkzeuge.pruefung import pruefe

from .conftest import WURZEL

SZENARIEN = WURZEL / "rules" / "szenarien"
ALLE = sorted(p for p in SZENARIEN.iterdir() if p.is_dir())


def _lauf(*argumente: str, exit_code: int = 0) -> str:
    ergebnis = CliRunner().invoke(main, list(argumente), catch_exceptions=False)
    assert ergebnis.exit_code == exit_code, ergebnis.output
    return ergebnis.output


def test_vier_szenarien_der_studie_sind_mitgeliefert():
    assert [p.name for p in ALLE] == ["a_pflichtaufgabe_kreise", "b_gemeinden_ab_20000", "c_nrw_modell_mv",
                                      "d_beirat_hessisches_muster"]


@pytest.mark.parametrize("ordner", ALLE, ids=[p.name for p in ALLE])
def test_jedes_szenario_besteht_dieselbe_pruefung_wie_geltende_regeln(ordner):
    bericht = pruefe(None, dt.date(2026, 12, 1), szenario=[ordner])
    assert bericht.fehler == [], [m.zeile() for m in bericht.fehler]
    regeln = szenario_regeln(bericht.regelbasis)
    assert regeln and all(r.entwurf and r.szenario and r.szenario.passage for r in regeln)


def test_szenarien_gehoeren_nicht_zur_regelbasis():
    dateien = regeldateien([standard_regelverzeichnis()])
    assert not any("szenarien" in d.parts for d in dateien)
    assert not any(g.regel.entwurf for g in lade_regelbasis().regeln.values())


def test_ein_entwurf_in_der_regelbasis_ist_ein_fehler(tmp_path):
    ziel = tmp_path / "rules"
    shutil.copytree(standard_regelverzeichnis(), ziel, ignore=shutil.ignore_patterns("szenarien"))
    shutil.copy(SZENARIEN / "d_beirat_hessisches_muster" / "sl.szenario_d.beirat.yaml", ziel / "saarland")
    ausgabe = _lauf("check", "--ags", "10041100", "--regeln", str(ziel), exit_code=2)
    assert "sl.szenario_d.beirat.yaml" in ausgabe and "gehört in einen Szenario-Ordner" in ausgabe


def test_szenario_regel_ohne_entwurf_wird_abgelehnt(tmp_path):
    ordner = tmp_path / "szenario"
    ordner.mkdir()
    text = (SZENARIEN / "d_beirat_hessisches_muster" / "sl.szenario_d.beirat.yaml").read_text(encoding="utf-8")
    text = re.sub(r"^entwurf: true\n", "", text, flags=re.M)
    text = re.sub(r"^szenario:\n(  .*\n|    .*\n)+", "", text, flags=re.M)
    (ordner / "sl.szenario_d.beirat.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(EingabeFehler, match="braucht entwurf: true"):
        lade_regelbasis(szenario=[ordner])


def test_normales_check_kennt_kein_szenario_und_mit_szenario_ist_es_markiert():
    ohne = _lauf("check", "--ags", "10041100", "--stichtag", "2027-06-01")
    assert "SZENARIO" not in ohne
    mit = _lauf("check", "--ags", "10041100", "--stichtag", "2027-06-01", "--szenario",
                str(SZENARIEN / "d_beirat_hessisches_muster"))
    assert "SZENARIO – KEIN GELTENDES RECHT" in mit and "MUSS (SZENARIO)" in mit
    daten = json.loads(_lauf("check", "--ags", "10041100", "--stichtag", "2027-06-01", "--format", "json",
                             "--szenario", str(SZENARIEN / "d_beirat_hessisches_muster")))
    entwuerfe = [e for e in daten["ergebnisse"] if e.get("entwurf")]
    assert [e["regel"] for e in entwuerfe] == ["sl.szenario_d.beirat"]
    assert entwuerfe[0]["hinweis_entwurf"] == "Szenario – kein geltendes Recht"
    vorher = _lauf("check", "--ags", "10041100", "--stichtag", "2026-06-01", "--szenario",
                   str(SZENARIEN / "d_beirat_hessisches_muster"))
    assert "MUSS (SZENARIO)" not in vorher  # das Szenario gilt erst ab 01.01.2027


def test_gleiche_id_ersetzt_ab_dem_beginn_des_szenarios(tmp_path):
    """Eine Szenario-Regel mit der id einer geltenden Regel ersetzt sie ab ihrem ersten gueltig_ab; davor gilt das
    geltende Recht weiter (mit seinen alten Fassungen)."""
    ordner = tmp_path / "szenario"
    ordner.mkdir()
    text = (SZENARIEN / "d_beirat_hessisches_muster" / "sl.szenario_d.beirat.yaml").read_text(encoding="utf-8")
    text = text.replace("id: sl.szenario_d.beirat", "id: sl.ksvg.50.integrationsbeirat")
    (ordner / "ersatz.yaml").write_text(text, encoding="utf-8")
    basis = lade_regelbasis(szenario=[ordner])
    regel = basis.regel("sl.ksvg.50.integrationsbeirat")
    geltend = lade_regelbasis().regel("sl.ksvg.50.integrationsbeirat")
    assert regel.entwurf and len(regel.versionen) == len(geltend.versionen) + 1
    assert regel.versionen[-2].gueltig_bis == dt.date(2026, 12, 31)
    assert regel.versionen[-2].zitat.norm == "§ 50 Abs. 1 Satz 1 KSVG"
    assert regel.versionen[-1].gueltig_ab == dt.date(2027, 1, 1)
    assert beginn(basis, lade_regelbasis()) == dt.date(2027, 1, 1)  # nicht 1989, der Beginn der alten Fassungen


def _batch_gilt(ordner, land: str, regel_id: str, tmp_path) -> int:
    ausgabe = _lauf("batch", "--land", land, "--stichtag", "2027-01-01", "--szenario", str(ordner), "--ausgabe",
                    str(tmp_path / "x.csv"))
    zeile = next(z for z in ausgabe.splitlines() if f"({regel_id})" in z)
    return int(re.match(r"\s*\S+\s+(\d+)", zeile).group(1))


@pytest.mark.parametrize("ordner, land, regel_id", [
    ("c_nrw_modell_mv", "MV", "mv.szenario_c.ki_kreis"),
    ("d_beirat_hessisches_muster", "SL", "sl.szenario_d.beirat"),
    ("a_pflichtaufgabe_kreise", "HB", "de.szenario_a.integrationskoordination"),
])
def test_wirkung_zaehlt_wie_batch_auf_der_ueberlagerten_regelbasis(ordner, land, regel_id, tmp_path):
    basis = lade_regelbasis()
    ueberlagert = lade_regelbasis(szenario=[SZENARIEN / ordner])
    ergebnis = wirkung([d for d in alle() if d.land == land], dt.date(2027, 1, 1), basis, ueberlagert,
                       auswerter_fuer(basis), auswerter_fuer(ueberlagert))
    assert ergebnis[land].gilt_insgesamt[regel_id] == _batch_gilt(SZENARIEN / ordner, land, regel_id, tmp_path)


def test_szenario_a_erfasst_jeden_kreis_und_jede_kreisfreie_stadt(tmp_path):
    ziel = tmp_path / "a.md"
    ausgabe = _lauf("szenario", str(SZENARIEN / "a_pflichtaufgabe_kreise"), "--ausgabe", str(ziel))
    zeile = next(z for z in ausgabe.splitlines() if z.startswith("Deutschland"))
    neu = int(zeile.split()[1].replace(".", ""))
    regel = lade_regelbasis(szenario=[SZENARIEN / "a_pflichtaufgabe_kreise"]).regel(
        "de.szenario_a.integrationskoordination")
    typen = konkrete_typen(regel.typen)
    stichtag = dt.date(2027, 1, 1)  # Hanau ist seit 01.01.2026 kreisfrei: der Typ hängt vom Tag ab
    kreisebene = [d for d in alle() if d.profil(stichtag).typ in typen]
    assert len(kreisebene) == 401
    # schon erfasst: eine geltende Pflicht (muss/soll) desselben Gegenstands – seit 29.06.2024 die Soll-Pflicht zum
    # Integrationsbericht der unteren Integrationsbehörden in Sachsen (§ 26 SächsIntG), sonst keine
    basis = lade_regelbasis()
    auswerter = auswerter_fuer(basis)
    schon = set()
    for d in kreisebene:
        for rid, status, _ in bewerte(d.profil(stichtag), stichtag, basis, auswerter, {}).ergebnisse:
            r = basis.regel(rid)
            if status == Status.gilt and r.art == Art.pflicht and r.gegenstand == regel.gegenstand and \
                    r.verbindlichkeit in (Verbindlichkeit.muss, Verbindlichkeit.soll):
                schon.add(d.ags)
    assert schon and all(ags.startswith("14") for ags in schon) and len(schon) == 13  # 10 Landkreise, 3 KFS
    assert neu == len(kreisebene) - len(schon)
    bericht = ziel.read_text(encoding="utf-8")
    assert "**Szenario – kein geltendes Recht.**" in bericht and "![Neu erfasste Kommunen" in bericht
    assert "„In Bundesländern, in denen diese Aufgabe bisher nur vereinzelt" in bericht
    assert ziel.with_suffix(".png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in ziel.with_suffix(".svg").read_bytes()[:500]
    csv = ziel.with_suffix(".csv").read_text(encoding="utf-8-sig").splitlines()
    assert csv[0].startswith("AGS;Kommune;Land;Kommunaltyp") and len(csv) - 1 == neu


def test_szenario_d_grossenklassen_und_offene_faelle(tmp_path):
    ausgabe = _lauf("szenario", str(SZENARIEN / "d_beirat_hessisches_muster"), "--land", "SL", "--ausgabe",
                    str(tmp_path / "d.md"))
    assert "Gemeinden und Kleinstädte (unter 20.000 Einwohner)" in ausgabe
    bericht = (tmp_path / "d.md").read_text(encoding="utf-8")
    assert "## Offene Fälle" in bericht and "mehr als 1.000" in bericht


def test_kostenmodell_stufen_beginnen_bei_null(tmp_path):
    ordner = tmp_path / "szenario"
    ordner.mkdir()
    text = (SZENARIEN / "a_pflichtaufgabe_kreise" / "de.szenario_a.integrationskoordination.yaml").read_text(
        encoding="utf-8").replace("- ab: 0\n", "- ab: 5\n", 1)
    (ordner / "a.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(EingabeFehler, match="beginnen bei ab: 0"):
        lade_regelbasis(szenario=[ordner])


def test_diagramm_mit_deutschen_zahlen_und_legende_neben_den_balken(regelbasis):
    """Issue 22: keine „0.5“ an den Achsen, keine Legende über den Balken."""
    from engine.ausgabe.szenario_bericht import figur

    ueberlagert = lade_regelbasis(szenario=[SZENARIEN / "c_nrw_modell_mv"])
    w = wirkung([d for d in alle() if d.land == "MV"], beginn(ueberlagert, regelbasis), regelbasis, ueberlagert,
                auswerter_fuer(regelbasis), auswerter_fuer(ueberlagert))
    fig = figur(w, "Szenario c")
    fig.canvas.draw()
    for achse in fig.axes:
        texte = [t.get_text() for t in achse.get_xticklabels() if t.get_text()]
        assert texte and all(re.fullmatch(r"\d{1,3}(\.\d{3})*(,\d)?", t) for t in texte), texte
        legende = achse.get_legend().get_window_extent()
        assert not any(legende.overlaps(balken.get_window_extent()) for balken in achse.patches)
    assert any("," in t.get_text() for t in fig.axes[1].get_xticklabels())  # Mio. € mit Dezimalkomma
