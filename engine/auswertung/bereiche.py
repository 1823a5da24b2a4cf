"""Auswertung mit Spannen: Wo das Ergebnis in der ganzen Spanne gleich ist, wird es gesagt; wo die Spanne eine
Schwelle überdeckt, ist es ``unbestimmt``.

Alle Bedingungen sind lineare Vergleiche über (Einwohner, ausländische Einwohner): ``a OP t``, ``e OP t`` und
``100·a OP p·e``. Die Ergebnisregion ist daher stückweise durch Geraden begrenzt. Ausgewertet wird (über
durable-rules) an den Ecken der Spanne, an jeder Schwelle auf den Rändern (Wert, Wert ± 1) und an den
Schnittpunkten der Schwellengeraden innerhalb der Spanne; weicht ein Stützpunkt ab, ist das Ergebnis unbestimmt.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
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


def _vorbereitet(regelbasis: Regelbasis, land: str) -> tuple:
    """Die Schwellen eines Landes so, wie ``stuetzpunkte`` sie braucht: Nachbarn (Wert, Wert ± 1) der Schwellen auf
    ausländische Einwohner und auf Einwohner als sortierte Tupel (die Nachbarn in einer Spanne sind ein Ausschnitt, per
    ``bisect`` gefunden), die Anteilsschwellen als ganzzahlige Brüche (Zähler, Nenner) – ganze Zahlen statt
    ``Fraction`` je Kommune (``batch`` fragt elftausendmal). Je Land einmal."""
    cache = regelbasis.__dict__.setdefault("_stuetzpunkte_je_land", {})
    if land not in cache:
        a_t, e_t, p_t = _schwellen(regelbasis, land)
        cache[land] = (tuple(sorted({x for t in a_t for x in (t - 1, t, t + 1)})),
                       tuple(sorted({x for t in e_t for x in (t - 1, t, t + 1)})),
                       tuple((p.numerator, p.denominator) for p in p_t), tuple(sorted(a_t)))
    return cache[land]


def stuetzpunkte(kommune: Kommune, regelbasis: Regelbasis) -> list[tuple[int, int]]:
    """(Einwohner, ausländische Einwohner)-Paare, an denen ausgewertet wird; der Punktwert zuerst. Abgerundet wird
    ganzzahlig: ⌊z·e / (100·n)⌋ ist ⌊p·e/100⌋ für p = z/n (n > 0), genau wie mit ``Fraction``.

    Die Punkte: je Einwohnerzahl aus {Ränder, Nachbarn der Einwohnerschwellen in der Spanne, Schnitte der
    Anteilsgeraden mit den Ausländerschwellen und den Rändern (± 1)} jede Ausländerzahl aus {Ränder, Nachbarn der
    Ausländerschwellen, Anteilsgeraden an dieser Einwohnerzahl (± 1)}, soweit sie in der Spanne liegt und die
    Einwohnerzahl nicht übersteigt."""
    e_von, e_bis = kommune.spanne("einwohner")
    a_von, a_bis = kommune.spanne("auslaendische_einwohner")
    a_nachbarn, e_nachbarn, anteile, a_t = _vorbereitet(regelbasis, kommune.land)

    e_werte = {e_von, e_bis}
    e_werte.update(e_nachbarn[bisect_left(e_nachbarn, e_von):bisect_right(e_nachbarn, e_bis)])
    # Schnittpunkte Anteilsgerade × Ausländerschwelle: e = 100·t/p
    for zaehler, nenner in anteile:
        if zaehler > 0:
            for t in (*a_t, a_von, a_bis):
                basis = 100 * t * nenner // zaehler
                e_werte.update(x for x in (basis - 1, basis, basis + 1) if e_von <= x <= e_bis)
    erster = (kommune.einwohner, kommune.auslaendische_einwohner)
    punkte = {erster}
    links = bisect_left(a_nachbarn, a_von)
    for e in e_werte:
        if e < 1:
            continue
        oben = min(a_bis, e)
        if a_von <= oben:
            punkte.add((e, a_von))
        if a_von <= a_bis <= oben:
            punkte.add((e, a_bis))
        for a in a_nachbarn[links:bisect_right(a_nachbarn, oben)]:  # liegen schon in [a_von, oben]
            punkte.add((e, a))
        for zaehler, nenner in anteile:
            basis = zaehler * e // (100 * nenner)
            for a in (basis - 1, basis, basis + 1):
                if a_von <= a <= oben:
                    punkte.add((e, a))
    punkte.discard(erster)
    return [erster, *sorted(punkte)]


def varianten(kommune: Kommune, regelbasis: Regelbasis) -> list[Kommune]:
    """Die Profile an allen Stützpunkten (ohne Spanne, damit sie wie gewöhnliche Profile ausgewertet werden)."""
    if kommune.unsicherheit is None:
        return [kommune]
    return [kommune.ersetzt(einwohner=e, auslaendische_einwohner=a, unsicherheit=None)
            for e, a in stuetzpunkte(kommune, regelbasis)]
