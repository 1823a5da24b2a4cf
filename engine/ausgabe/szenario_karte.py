"""Die Karten eines Szenarioberichts: links, wo das Szenario neu erfasst (Anteil der Gemeinden eines Kreises, bei
Szenarien nur für die Kreisebene der Kreis selbst), rechts die Kosten je Kreis (Mitte der Spanne von–bis).

Länder ohne Szenario-Regel sind schraffiert; Kreise mit offenen Fällen tragen eine zweite Schraffur.
"""

from __future__ import annotations

import datetime as dt

from engine.ausgabe.karte_bild import bilder
from engine.ausgabe.karten import ANTEIL_STUFEN, Flaeche, Karte, Stufe, anteil_stufe, euro, kosten_stufe, \
    kosten_stufen, prozent_text
from engine.ausgabe.szenario_bericht import HINWEIS
from engine.auswertung.gebietszahlen import Szenariogebiet, nur_kreisebene, szenario_gebiete
from engine.auswertung.szenario import Landeswirkung
from engine.kommunen.gebiete import einheit_name, einheiten, laender, namensnennung
from engine.regeln.modell import Regel
from engine.zahlen import zahl

NICHT_IM_SZENARIO = Stufe("#ffffff", "Land ohne Szenario-Regel", schraffiert=True)
NICHT_AUSGEWERTET = Stufe("#ffffff", "Land nicht ausgewertet (--land)", schraffiert=True)
KREIS_NEU = Stufe("#2c7fb8", "Kreis bzw. kreisfreie Stadt neu erfasst")
KREIS_NICHT = Stufe("#ffffff", "nicht neu erfasst (Pflicht besteht schon oder Voraussetzung fehlt)")
DATENQUELLE = ("Daten: © Statistisches Bundesamt (Destatis) 2025, Zensus 2022 (Datenlizenz Deutschland – "
               "Namensnennung 2.0); Kosten: Modellrechnung des Szenarios.")


def _kosten_text(g: Szenariogebiet) -> str:
    if not g.kosten_bis:
        return "keine Kosten"
    von, bis = float(g.kosten_von), float(g.kosten_bis)
    return f"Kosten {euro(von)} bis {euro(bis)} je Jahr" if von != bis else f"Kosten {euro(bis)} je Jahr"


def _erfasst_text(g: Szenariogebiet, kreisebene: bool) -> str:
    if kreisebene:
        text = "neu erfasst" if g.kreis_neu else "offen" if g.kreis_offen else "nicht neu erfasst"
    else:
        text = f"{prozent_text(g.gemeinden_neu, g.gemeinden, 'Gemeinden')} neu erfasst"
        if g.gemeinden_offen:
            text += f", {zahl(g.gemeinden_offen)} offen"
        if g.kreis_neu or g.kreis_offen:
            text += "; der Kreis selbst " + ("neu erfasst" if g.kreis_neu else "offen")
    return text


def szenario_karten(regeln: list[Regel], wirkung: dict[str, Landeswirkung], datensaetze,
                    stichtag: dt.date) -> tuple[Karte, Karte]:
    kreisebene = nur_kreisebene(regeln)
    gebiete = szenario_gebiete(wirkung, datensaetze, stichtag)
    alle = einheiten(stichtag)
    ausgewertet = {d.land for d in datensaetze}
    mitte = {k: float(g.kosten_von + g.kosten_bis) / 2 for k, g in gebiete.items()}
    stufen = kosten_stufen(list(mitte.values()))
    erfasst, kosten = [], []
    for schluessel, gebiet in alle.items():
        g = gebiete.get(schluessel)
        name = einheit_name(schluessel, stichtag)
        if g is None:
            stufe = NICHT_IM_SZENARIO if gebiet.land in ausgewertet else NICHT_AUSGEWERTET
            erfasst.append(Flaeche(gebiet, stufe, f"{name}: {stufe.text}"))
            kosten.append(Flaeche(gebiet, stufe, f"{name}: {stufe.text}"))
            continue
        titel = f"{name}: {_erfasst_text(g, kreisebene)}; {_kosten_text(g)}"
        if kreisebene:
            stufe = KREIS_NEU if g.kreis_neu else KREIS_NICHT
            offen = g.kreis_offen and not g.kreis_neu
        else:
            stufe = anteil_stufe(g.gemeinden_neu / g.gemeinden if g.gemeinden else 0)
            offen = g.gemeinden_offen > 0
        erfasst.append(Flaeche(gebiet, stufe, titel, offen=offen))
        kosten.append(Flaeche(gebiet, kosten_stufe(mitte[schluessel], stufen), titel))
    betroffen = list(gebiete.values())
    mit_offen = any(f.offen for f in erfasst)
    ohne = [s for s in (NICHT_IM_SZENARIO, NICHT_AUSGEWERTET) if any(f.stufe is s for f in erfasst)]
    umrisse = list(laender().values())
    quelle = namensnennung()
    if kreisebene:
        links = Karte("Wo das Szenario neu verpflichtet: Kreise und kreisfreie Städte",
                      f"{sum(g.kreis_neu for g in betroffen)} Kreise und kreisfreie Städte neu erfasst.",
                      erfasst, [KREIS_NEU, KREIS_NICHT] + ohne, quelle, umrisse, mit_offen)
    else:
        landkreise = sum(g.kreis_neu and g.gemeinden > 1 for g in betroffen)
        links = Karte("Wo das Szenario neu verpflichtet: Anteil der Gemeinden je Kreis, die selbst neu erfasst werden"
                      + (f" (dazu {zahl(landkreise)} Landkreise selbst, ohne eigene Farbe)" if landkreise else ""),
                      f"{zahl(sum(g.gemeinden_neu for g in betroffen))} Gemeinden neu erfasst.",
                      erfasst, list(ANTEIL_STUFEN) + ohne, quelle, umrisse, mit_offen)
    rechts = Karte("Kosten je Kreis und Jahr (Mitte der Spanne von–bis, Modellrechnung)",
                   "Kosten je Kreis.", kosten,
                   [Stufe("#ffffff", "keine Kosten")] + [s for _, s in stufen] + ohne, quelle, umrisse)
    return links, rechts


def karten_bilder(name: str, regeln: list[Regel], wirkung: dict[str, Landeswirkung], datensaetze,
                  stichtag: dt.date) -> dict[str, bytes]:
    """PNG und SVG mit beiden Karten, Titel, Hinweis „Szenario – kein geltendes Recht“ und Quellenvermerk."""
    links, rechts = szenario_karten(regeln, wirkung, datensaetze, stichtag)
    return bilder([links, rechts], f"{name}\n{HINWEIS} – Stichtag {stichtag:%d.%m.%Y}",
                  f"{namensnennung()} {DATENQUELLE}")


__all__ = ["szenario_karten", "karten_bilder", "DATENQUELLE"]
