"""pytest sammelt die Regeltests der Rechtsberater (rules/<land>/tests/*.yaml): dieselben Fälle wie ``regeln testen``."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.begriffe import LAENDER
from engine.regeln.basis import LAND_ORDNER, standard_regelverzeichnis
from engine.werkzeuge.regeltests import fuehre_aus, lade_testdatei
from engine.werkzeuge.regeltests import testdateien as finde_testdateien

DATEIEN = finde_testdateien([standard_regelverzeichnis()])


def _faelle():
    for datei in DATEIEN:
        testdatei, _ = lade_testdatei(datei)
        for index, fall in enumerate(testdatei.faelle):
            yield pytest.param(datei, index, id=f"{datei.parent.parent.name}:{fall.name}")


@pytest.mark.parametrize("datei, index", list(_faelle()))
def test_regeltest(regelbasis, durable, datei: Path, index: int):
    ergebnis = fuehre_aus(datei, regelbasis, durable)[index]
    assert ergebnis.bestanden, "\n".join([f"{ergebnis.datei}:{ergebnis.zeile}: {ergebnis.name}"] + ergebnis.abweichungen)


def test_jedes_land_hat_regeltests():
    laender_mit_tests = {LAND_ORDNER[d.parent.parent.name] for d in DATEIEN}
    assert laender_mit_tests == set(LAENDER), sorted(set(LAENDER) - laender_mit_tests)


def test_jede_nicht_ermittelte_norm_hat_einen_vorbehaltstest(regelbasis):
    """Issue 18: eine Zuständigkeit ohne ermittelte Norm ist nie eine schlichte Pflicht – jede solche Regel hat einen
    Regeltest, der den Vorbehalt am Ergebnis verlangt (nicht nur Status und Norm)."""
    ohne_norm = {i for i in regelbasis.regeln if any(not v.zitat.norm_ermittelt for v in regelbasis.regel(i).versionen)}
    geprueft = set()
    for datei in DATEIEN:
        testdatei, _ = lade_testdatei(datei)
        for fall in testdatei.faelle:
            geprueft |= {e.regel for e in fall.erwartet if any("Norm nicht ermittelt" in t for t in e.vorbehalt_enthaelt)}
    assert ohne_norm and ohne_norm <= geprueft, sorted(ohne_norm - geprueft)


_NRW = "  profil: {land: NW, typ: grosse_kreisangehoerige_stadt, einwohner: 65000, auslaendische_einwohner: 9000}\n"


@pytest.mark.parametrize("stichtag, erwartung, meldung", [
    ("2025-01-01", "ohne_vorbehalt: true", "kein Vorbehalt erwartet, erhalten: Norm nicht ermittelt"),
    ("2024-12-31", "vorbehalt_enthaelt: [Norm nicht ermittelt]", "Vorbehalt enthält nicht „Norm nicht ermittelt“ "
                                                                 "(sondern: kein Vorbehalt)"),
])
def test_vorbehalt_im_regeltest_wird_geprueft(regelbasis, durable, tmp_path, stichtag, erwartung, meldung):
    """Die Felder können scheitern: am Tag vor dem Wechsel der NRW-Norm gibt es keinen Vorbehalt, am Tag danach einen."""
    datei = tmp_path / "faelle.yaml"
    datei.write_text(f"faelle:\n- name: Fall\n  stichtag: {stichtag}\n{_NRW}  erwartet:\n"
                     f"  - {{regel: nw.zustavo.1.auslaenderbehoerde, status: gilt, {erwartung}}}\n", encoding="utf-8")
    (ergebnis,) = fuehre_aus(datei, regelbasis, durable)
    assert not ergebnis.bestanden
    assert any(meldung in a for a in ergebnis.abweichungen), ergebnis.abweichungen


def test_vorbehalt_felder_schliessen_einander_aus(tmp_path):
    from engine.fehler import EingabeFehler

    datei = tmp_path / "faelle.yaml"
    datei.write_text(f"faelle:\n- name: Fall\n  stichtag: 2025-01-01\n{_NRW}  erwartet:\n"
                     "  - regel: nw.zustavo.1.auslaenderbehoerde\n    ohne_vorbehalt: true\n"
                     "    vorbehalt_enthaelt: [Norm]\n", encoding="utf-8")
    with pytest.raises(EingabeFehler) as fehler:
        lade_testdatei(datei)
    assert str(fehler.value) == (f"{datei}:6:5: fehler: Feld „faelle[0].erwartet[0]“: Die Felder ohne_vorbehalt und "
                                 "vorbehalt_enthaelt schließen einander aus – nur eines angeben.")
