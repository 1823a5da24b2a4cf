"""Auswertung mit Spannen: Wo das Ergebnis in der ganzen Spanne gleich ist, wird es gesagt; wo die Spanne eine
Schwelle überdeckt, ist es ``unbestimmt``.

Alle Bedingungen sind lineare Vergleiche über (Einwohner, ausländische Einwohner): ``a OP t``, ``e OP t`` und
``100·a OP p·e``. Die Ergebnisregion ist daher stückweise durch Geraden begrenzt. Ausgewertet wird (über
durable-rules) an den Ecken der Spanne, an jeder Schwelle auf den Rändern (Wert, Wert ± 1) und an den
Schnittpunkten der Schwellengeraden innerhalb der Spanne; weicht ein Stützpunkt ab, ist das Ergebnis unbestimmt.
"""

from __future__ import annotations

from fractions import Fraction

from engine.regeln.logik import dnf
from engine.felder import FELDER
from engine.kommunen.profil import Kommune
from engine.regeln.basis import Regelbasis
from engine.regeln.modell import prozentwert


def _schwellen(regelbasis: Regelbasis, land: str) -> tuple[set[int], set[int], set[Fraction]]:
    """Schwellen auf ausländische Einwohner, auf Einwohner und Anteilsschwellen (in vom Hundert); je Land einmal."""
    cache = regelbasis.__dict__.setdefault("_schwellen_je_land", {})
    if land not in cache:
        cache[land] = _sammle_schwellen(regelbasis, land)
    return cache[land]


def _sammle_schwellen(regelbasis: Regelbasis, land: str) -> tuple[set[int], set[int], set[Fraction]]:
    a, e, p = set(), set(), set()
    for regel in regelbasis.fuer_land(land):
        for version in regel.versionen:
            for konj in dnf(version.bedingung):
                for lit in konj:
                    if lit.feld == "auslaendische_einwohner":
                        a.add(lit.wert)
                    elif lit.feld == "einwohner":
                        e.add(lit.wert)
                    elif lit.feld is not None and FELDER[lit.feld].art == "anteil":
                        p.add(prozentwert(lit.wert))
    return a, e, p


def stuetzpunkte(kommune: Kommune, regelbasis: Regelbasis) -> list[tuple[int, int]]:
    """(Einwohner, ausländische Einwohner)-Paare, an denen ausgewertet wird; der Punktwert zuerst."""
    e_von, e_bis = kommune.spanne("einwohner")
    a_von, a_bis = kommune.spanne("auslaendische_einwohner")
    a_t, e_t, p_t = _schwellen(regelbasis, kommune.land)

    def a_werte(e: int) -> set[int]:
        werte = {a_von, a_bis}
        for t in a_t:
            werte |= {t - 1, t, t + 1}
        for p in p_t:
            g = p * e / 100
            basis = g.numerator // g.denominator
            werte |= {basis - 1, basis, basis + 1}
        return {w for w in werte if a_von <= w <= min(a_bis, e)}

    e_werte = {e_von, e_bis} | {x for t in e_t for x in (t - 1, t, t + 1) if e_von <= x <= e_bis}
    # Schnittpunkte Anteilsgerade × Ausländerschwelle: e = 100·t/p
    for p in p_t:
        if p > 0:
            for t in a_t | {a_von, a_bis}:
                g = Fraction(100 * t) / p
                basis = g.numerator // g.denominator
                e_werte |= {x for x in (basis - 1, basis, basis + 1) if e_von <= x <= e_bis}
    punkte = {(kommune.einwohner, kommune.auslaendische_einwohner)}
    for e in e_werte:
        if e >= 1:
            punkte |= {(e, a) for a in a_werte(e)}
    erster = (kommune.einwohner, kommune.auslaendische_einwohner)
    return [erster] + sorted(punkte - {erster})


def varianten(kommune: Kommune, regelbasis: Regelbasis) -> list[Kommune]:
    """Die Profile an allen Stützpunkten (ohne Spanne, damit sie wie gewöhnliche Profile ausgewertet werden)."""
    if kommune.unsicherheit is None:
        return [kommune]
    return [kommune.ersetzt(einwohner=e, auslaendische_einwohner=a, unsicherheit=None)
            for e, a in stuetzpunkte(kommune, regelbasis)]
