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
