"""Wächter gegen Rückfälle in der Geschwindigkeit: gezählte Arbeit statt gemessener Zeit (Zeiten stehen in bench/).

6b44b89 machte ``batch`` viermal langsamer, ohne dass ein Test es merkte: jedes Profil suchte den Namen seines
Kreises mit einer Volltextsuche in den 1,95 MB der Gemeindedaten und zerlegte die gefundene Zeile erneut.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from engine.kommunen import daten

STICHTAG = dt.date(2025, 6, 1)


def test_alle_profile_zerlegen_jede_datenzeile_hoechstens_einmal(monkeypatch):
    zerlegt: Counter = Counter()
    original = daten._datensatz

    def zaehlend(zeile):
        zerlegt[zeile["ags"]] += 1
        return original(zeile)

    monkeypatch.setattr(daten, "_datensatz", zaehlend)
    daten.alle.cache_clear()
    daten._nach_ags.cache_clear()
    profile = [d.profil(STICHTAG) for d in daten.alle()]
    assert len(profile) == 11_065
    mehrfach = {ags: n for ags, n in zerlegt.items() if n > 1}
    assert not mehrfach, f"{len(mehrfach)} Zeilen mehrfach zerlegt, z. B. {sorted(mehrfach.items())[:3]}"
    assert sum(zerlegt.values()) <= len(profile)
