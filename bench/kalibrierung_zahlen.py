"""Stellt die Parameter der Schätzung (engine/kommunen/alterung.py) an der Kalibrierungshälfte ein – nie an der Testhälfte.

Für jede veröffentlichte Zahl der Kalibrierungshälfte (bench/abdeckung_zahlen.gruppe) wird die Schätzung ohne
Zuschlag und ohne Breite berechnet: Registerniveau des Kreises (Mitte), Zensuspfad (untere Zählweise), dazu die Plätze
von Erstaufnahmeeinrichtungen. Daraus:

- ``REGISTERZUSCHLAG``: Median von Melderegisterzahl / Registerniveau − 1 (nur Zählweise Melderegister – das ist die
  Zahl, die die Gesetze meinen);
- ``BREITE_*["unten"]``/``["oben"]``: das ``QUANTIL`` der nötigen Breite aller Zählweisen, nachdem der Anteil je Jahr
  Abstand zum Zensus (``je_jahr``, fest) abgezogen ist – je Klasse (Gemeinde; Kreisebene = Kreis, kreisfreie Stadt,
  Stadtstaat) und über alle Zahlen; es gilt das größere, plus ``MARGE`` (ein 95-%-Quantil aus rund 30 Zahlen schwankt
  selbst um einige Prozentpunkte); auf ganze Prozent aufgerundet.

  Geschichte (ehrlich): die erste Fassung nahm nur das Quantil je Klasse. An der Testhälfte lagen damit 32 von 39
  Zahlen in der Spanne (82 %): die Gemeinden der Kalibrierungshälfte sind meist alte Zahlen, deren Breite fast ganz
  aus dem Anteil je Jahr kam, und das Klassenquantil aus 28 Zahlen fiel auf 0. Seither ist die Testhälfte gesehen;
  unabhängig prüft nur noch ein zurückgehaltener Satz (Issue 20): Zahlen mit ``nach_festlegung``, die erst danach
  gefunden wurden und nichts einstellen.

Aufruf:  python bench/kalibrierung_zahlen.py     (druckt die Werte; eingetragen werden sie von Hand in alterung.py)
"""

from __future__ import annotations

import math
import statistics
import sys
from fractions import Fraction
from pathlib import Path

WURZEL = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(WURZEL))
sys.path.insert(0, str(WURZEL / "bench"))

import abdeckung_zahlen  # noqa: E402

from engine.kommunen import alterung  # noqa: E402
from engine.kommunen import erstaufnahme  # noqa: E402
from engine.kommunen.daten import nach_ags  # noqa: E402

QUANTIL = Fraction(95, 100)
MARGE = Fraction(2, 100)


def _ohne_parameter():
    """Zuschlag und Breiten auf null – die Rohpfade der Schätzung."""
    alt = (alterung.REGISTERZUSCHLAG, dict(alterung.BREITE_GEMEINDE), dict(alterung.BREITE_KREISEBENE))
    alterung.REGISTERZUSCHLAG = 0.0
    for b in (alterung.BREITE_GEMEINDE, alterung.BREITE_KREISEBENE):
        b["unten"] = b["oben"] = 0.0
    return alt


def _zurueck(alt) -> None:
    alterung.REGISTERZUSCHLAG = alt[0]
    alterung.BREITE_GEMEINDE.update(alt[1])
    alterung.BREITE_KREISEBENE.update(alt[2])


def rohwerte() -> list[dict]:
    alt = _ohne_parameter()
    try:
        ergebnis = []
        for zeile in abdeckung_zahlen.zeilen():
            if not abdeckung_zahlen.bewertbar(zeile) or abdeckung_zahlen.gruppe(zeile) != "kalibrierung":
                continue
            d = nach_ags(str(zeile["ags"]))
            k = d.profil(zeile["stichtag"])
            von, bis = k.spanne("auslaendische_einwohner")
            platz = sum(z.anzahl for z in erstaufnahme.zuschlaege(d.ags, zeile["stichtag"]))
            kreisebene = d.art == "kreis" or d.typ in ("kreisfreie_stadt", "stadtstaat")
            je_jahr = (alterung.BREITE_KREISEBENE if kreisebene else alterung.BREITE_GEMEINDE)["je_jahr"]
            ergebnis.append({"zeile": zeile, "mitte": k.auslaendische_einwohner, "unten": von + platz,
                             "oben": bis - platz, "platz": platz, "kreisebene": kreisebene,
                             "abstand": je_jahr * alterung._jahre(alterung.ZENSUSTAG, zeile["stichtag"])})
        return ergebnis
    finally:
        _zurueck(alt)


def _quantil(werte: list[Fraction], q: Fraction) -> Fraction:
    werte = sorted(werte)
    return werte[min(len(werte) - 1, math.ceil(q * len(werte)) - 1)] if werte else Fraction(0)


def kalibriere() -> dict:
    roh = rohwerte()
    register = [Fraction(r["zeile"]["auslaendische_einwohner"], max(r["mitte"], 1)) - 1 for r in roh
                if r["zeile"]["definition"] == "melderegister"]
    zuschlag = statistics.median(register)
    ergebnis = {"n": len(roh), "n_register": len(register), "zuschlag": zuschlag}
    noetig = {"unten": {}, "oben": {}}
    for r in roh:
        n = r["zeile"]["auslaendische_einwohner"]
        noetig["unten"][id(r)] = Fraction(r["unten"] - r["platz"] - n, max(r["unten"], 1)) - Fraction(r["abstand"])
        obergrenze = r["oben"] * (1 + zuschlag)
        noetig["oben"][id(r)] = Fraction(n - r["platz"], 1) / max(obergrenze, 1) - 1 - Fraction(r["abstand"])
    alle = {seite: _quantil(list(werte.values()), QUANTIL) for seite, werte in noetig.items()}
    for name, klasse in (("gemeinde", False), ("kreisebene", True)):
        auswahl = [r for r in roh if r["kreisebene"] == klasse]
        ergebnis[name] = {"n": len(auswahl)}
        for seite in ("unten", "oben"):
            je_klasse = _quantil([noetig[seite][id(r)] for r in auswahl], QUANTIL)
            ergebnis[name][seite] = max(Fraction(0), je_klasse, alle[seite]) + MARGE
    return ergebnis


def _prozent(x: Fraction) -> str:
    return f"{math.ceil(float(x) * 100)} %"


def main() -> None:
    e = kalibriere()
    print(f"Kalibrierungshälfte: {e['n']} veröffentlichte Zahlen, davon {e['n_register']} aus Melderegistern")
    print(f"REGISTERZUSCHLAG = {float(e['zuschlag']):.3f}  (Median Melderegister / Registerniveau − 1)")
    for name in ("gemeinde", "kreisebene"):
        k = e[name]
        print(f"BREITE {name:<10} (n = {k['n']:>2}): unten {_prozent(k['unten'])}, oben {_prozent(k['oben'])}"
              f"  (größeres {float(QUANTIL) * 100:.0f}-%-Quantil der nötigen Breite ohne den Anteil je Jahr, je "
              f"Klasse oder über alle, + {float(MARGE) * 100:.0f} Prozentpunkte)")


if __name__ == "__main__":
    main()
