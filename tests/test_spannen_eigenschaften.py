"""Eigenschaft der Spannen (hypothesis, Issue 20): eine breitere Spanne macht nie aus „unbestimmt“ eine feste Antwort.

Wer weniger weiß, darf nicht mehr behaupten: Liegt eine Schwelle in der Spanne, liegt sie auch in jeder Spanne, die
diese enthält – für die Zahl der ausländischen Einwohner wie für die Einwohnerzahl (Anteile)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.auswertung.bericht import erstelle_bericht
from engine.begriffe import Status
from engine.kommunen.profil import Spanne, Unsicherheit

from .strategien import profile, stichtage

SCHWELLENLAENDER = ("HE", "NW", "RP", "SL", "MV")  # Länder mit Schwellen auf Zahl oder Anteil ausländischer Einwohner
EINIGE = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def verbreiterung(draw):
    """Ein Profil mit Spanne und eine Verbreiterung derselben (beide Grenzen nach außen, auch um null)."""
    kommune = draw(st.one_of(profile(), *(profile(land=land) for land in SCHWELLENLAENDER)))
    a, e = kommune.auslaendische_einwohner, kommune.einwohner
    a_von = draw(st.integers(max(0, a - 2_000), a))
    a_bis = draw(st.integers(a, min(e, a + 2_000)))
    e_von = draw(st.integers(max(max(a_bis, 1), e - 2_000), e)) if e >= max(a_bis, 1) else e
    e_bis = draw(st.integers(e, e + 2_000))
    schmal = kommune.ersetzt(unsicherheit=Unsicherheit(
        auslaendische_einwohner=Spanne(von=a_von, bis=a_bis), einwohner=Spanne(von=e_von, bis=e_bis), grund="Test"))
    breit = kommune.ersetzt(unsicherheit=Unsicherheit(
        auslaendische_einwohner=Spanne(von=draw(st.integers(max(0, a_von - 3_000), a_von)),
                                       bis=draw(st.integers(a_bis, min(e, a_bis + 3_000)))),
        einwohner=Spanne(von=draw(st.integers(max(max(a_bis, 1), e_von - 3_000), e_von)) if e_von >= max(a_bis, 1)
                         else e_von, bis=draw(st.integers(e_bis, e_bis + 3_000))),
        grund="Test"))
    return schmal, breit


@EINIGE
@given(verbreiterung(), stichtage)
def test_breitere_spanne_macht_unbestimmt_nie_fest(regelbasis, referenz, paar, tag):
    schmal, breit = paar
    vorher = {e.regel.id: e.status for e in erstelle_bericht(schmal, tag, regelbasis, referenz).ergebnisse}
    nachher = {e.regel.id: e.status for e in erstelle_bericht(breit, tag, regelbasis, referenz).ergebnisse}
    for regel_id, status in vorher.items():
        if status == Status.unbestimmt:
            assert nachher.get(regel_id) == Status.unbestimmt, (regel_id, schmal.unsicherheit, breit.unsicherheit)
