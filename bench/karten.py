"""Benchmark: was eine Karte kostet, ohne die Auswertung davor – Laden der Flächen, SVG einer Länderseite, SVG der
Deutschlandkarte der Startseite, Bild (PNG und SVG) einer Szenariokarte mit allen 401 Einheiten.

    python bench/karten.py [--laeufe 5]

Gedruckt werden die Mediane (Wanduhr) und die Größen. Die Zahlen je Kreis sind erfunden (jede erste Kommune eines
Kreises „gilt“); gemessen wird nur das Zeichnen.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time

from engine.ausgabe.karte_bild import bilder
from engine.ausgabe.karte_svg import svg
from engine.ausgabe.regel_karte import regel_karte
from engine.auswertung.gebietszahlen import Gebietszaehlung
from engine.kommunen import gebiete
from engine.kommunen.daten import alle
from engine.regeln.basis import lade_regelbasis

STICHTAG = dt.date(2026, 12, 1)


def miss(name: str, laeufe: int, aufgabe) -> object:
    zeiten, ergebnis = [], None
    for _ in range(laeufe):
        beginn = time.perf_counter()
        ergebnis = aufgabe()
        zeiten.append(time.perf_counter() - beginn)
    print(f"{name:<46} {statistics.median(zeiten) * 1000:8.1f} ms".replace(".", ","))
    return ergebnis


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--laeufe", type=int, default=5)
    laeufe = parser.parse_args().laeufe
    beginn = time.perf_counter()
    gebiete.kreise(), gebiete.laender(), gebiete.gemeinden()
    print(f"{'Flächen laden (einmal je Prozess)':<46} {(time.perf_counter() - beginn) * 1000:8.1f} ms".replace(".", ","))
    regel = lade_regelbasis().regel("he.hgo.84.auslaenderbeirat")
    zaehlung = Gebietszaehlung(STICHTAG)
    gesehen = set()
    for d in alle():
        e = gebiete.einheit(d.ags, STICHTAG)
        zaehlung.erfasse(d.ags, d.typ, [(regel.id, "gilt" if e not in gesehen else "entfaellt")])
        gesehen.add(e)
    he, _ = regel_karte(regel, zaehlung, STICHTAG, "HE", ziel=lambda s: f"#kreis-{s}")
    text = miss("SVG Hessen (27 Einheiten, 640 px)", laeufe, lambda: svg(he, breite=640))
    print(f"{'':<46} {len(text.encode()):8,} Bytes".replace(",", "."))
    de, _ = regel_karte(regel, zaehlung, STICHTAG)
    laender = [f.__class__(g, f.stufe, g.name) for f, g in zip(de.flaechen, gebiete.laender().values())]
    text = miss("SVG Deutschland, 16 Länder (460 px)", laeufe,
                lambda: svg(de.__class__("T", "B", laender, [], "Q"), breite=460, toleranz_px=0.6))
    print(f"{'':<46} {len(text.encode()):8,} Bytes".replace(",", "."))
    bild = miss("Bild Deutschland, 401 Einheiten (PNG und SVG)", max(1, laeufe // 2), lambda: bilder([de], "T", "Q"))
    print(f"{'':<46} {len(bild['png']):8,} Bytes PNG; {len(bild['svg']):,} Bytes SVG".replace(",", "."))


if __name__ == "__main__":
    main()
