"""hypothesis-Strategien für gültige Kommunenprofile und Stichtage."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from engine.begriffe import LAENDER
from engine.felder import MERKMALE
from engine.kommunen.profil import Kommune

KOMBINATIONEN = sorted((code, typ) for code, land in LAENDER.items() for typ in land.typen)

# Werte um die Schwellen der Regeln häufen, damit Grenzfälle oft vorkommen
_NAHE = [0, 1, 199, 200, 201, 999, 1000, 1001, 1999, 2000, 2001, 4999, 5000, 5001, 9999, 10000, 10001]


@st.composite
def profile(draw, land=None, typ=None):
    land_typ = draw(st.sampled_from([k for k in KOMBINATIONEN if (land is None or k[0] == land) and (typ is None or k[1] == typ)]))
    einwohner = draw(st.one_of(st.integers(1, 2_000_000), st.sampled_from([n for n in _NAHE if n > 0] + [100_000])))
    auslaender = draw(
        st.one_of(
            st.integers(0, einwohner),
            st.sampled_from([n for n in _NAHE if n <= einwohner]),
            st.sampled_from(sorted({einwohner * p // 100 + d for p in (3, 8, 10) for d in (-1, 0, 1)} & set(range(einwohner + 1))) or [0]),
        )
    )
    merkmale = {}
    for name, feld in MERKMALE.items():
        if draw(st.booleans()):
            merkmale[name] = draw(st.booleans()) if feld.art == "wahrheitswert" else draw(st.sampled_from([0, 199, 200, 201, 5000]))
    return Kommune(name="Generiert", land=land_typ[0], typ=land_typ[1], einwohner=einwohner,
                   auslaendische_einwohner=auslaender, merkmale=merkmale)


stichtage = st.one_of(
    st.dates(dt.date(1985, 1, 1), dt.date(2035, 12, 31)),
    st.sampled_from([dt.date(2020, 5, 15), dt.date(2020, 5, 16), dt.date(2023, 12, 21), dt.date(2023, 12, 22),
                     dt.date(2024, 4, 1), dt.date(2024, 4, 2), dt.date(2018, 12, 28), dt.date(2018, 12, 29)]),
)
