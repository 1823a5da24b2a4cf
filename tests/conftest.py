"""Gemeinsame Fixtures: eine Regelbasis und ein durable-rules-Auswerter je Testlauf (ein Host je Prozess)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

WURZEL = Path(__file__).resolve().parent.parent
if str(WURZEL) not in sys.path:
    sys.path.insert(0, str(WURZEL))

from engine.auswertung.durable import auswerter_fuer  # noqa: E402
from engine.auswertung.referenz import ReferenzAuswerter  # noqa: E402
from engine.regeln.basis import lade_regelbasis  # noqa: E402

BEISPIELE = WURZEL / "kommunen_examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def regelbasis():
    return lade_regelbasis()


@pytest.fixture(scope="session")
def durable(regelbasis):
    return auswerter_fuer(regelbasis)


@pytest.fixture(scope="session")
def referenz(regelbasis):
    return ReferenzAuswerter(regelbasis)
