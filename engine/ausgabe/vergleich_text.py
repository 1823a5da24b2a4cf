"""Der Vergleich zweier Rechtsstände als Text (Terminal, Markdown-tauglich) und als CSV-Zeilen.

Für eine Kommune: jede Änderung mit Norm. Für ein Land oder Deutschland: je Regel und Art der Änderung, wie viele
Kommunen betroffen sind und welche (mit AGS) – z. B. welche Gemeinden des Saarlands am 22.12.2023 aus der Soll-Pflicht
zum Integrationsbeirat herausfielen, weil die Schwelle von 8 auf 10 vom Hundert stieg.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

from engine.auswertung.vergleich import Aenderung
from engine.ausgabe.ueberblick import datum
from engine.begriffe import LAENDER
from engine.kommunen.profil import Kommune
from engine.zahlen import prozent, sichtbar, zahl

ART_TEXT = {"entfallen": "fallen heraus (vorher erfasst, jetzt nicht mehr)", "neu": "kommen neu hinzu",
            "geaendert": "ändert sich", "abdeckungsbeginn": "erst ab hier erfasst (keine Rechtsänderung)"}
ORDNUNG = {"entfallen": 0, "neu": 1, "geaendert": 2, "abdeckungsbeginn": 3}


@dataclass
class Eintrag:
    kommune: Kommune
    aenderungen: list[Aenderung]


def _kommune_kurz(k: Kommune) -> str:
    anteil = prozent(Fraction(100 * k.auslaendische_einwohner, k.einwohner), 1) if k.einwohner else "–"
    return (f"{k.ags or '':<8}  {k.name} ({zahl(k.einwohner)} Einwohner, {zahl(k.auslaendische_einwohner)} "
            f"ausländische, {anteil})")


def text_kommune(eintrag: Eintrag, von: dt.date, bis: dt.date) -> list[str]:
    k = eintrag.kommune
    zeilen = [f"{k.name}{f' (AGS {k.ags})' if k.ags else ''}: Rechtsstand {datum(von)} → {datum(bis)}"]
    echte = [a for a in eintrag.aenderungen if a.art != "abdeckungsbeginn"]
    if not echte:
        zeilen.append("  keine Änderung der Ergebnisse")
    zeilen += [f"  {a.text()}" for a in echte]
    erfasst = [a for a in eintrag.aenderungen if a.art == "abdeckungsbeginn"]
    if erfasst:
        zeilen.append(f"  ({len(erfasst)} Regel(n) erst ab ihrem geprüften Zeitraum erfasst – keine Rechtsänderung: "
                      + ", ".join(a.regel.id for a in erfasst) + ")")
    return zeilen


def text_uebersicht(eintraege: list[Eintrag], von: dt.date, bis: dt.date, zeige: int = 50) -> list[str]:
    """Je Land und Regel die Gruppen gleichartiger Änderungen mit den betroffenen Kommunen."""
    je_land: dict[str, list[Eintrag]] = defaultdict(list)
    for e in eintraege:
        je_land[e.kommune.land].append(e)
    zeilen = []
    for land in sorted(je_land):
        liste = je_land[land]
        mit = [e for e in liste if any(a.art != "abdeckungsbeginn" for a in e.aenderungen)]
        zeilen += ["", f"{LAENDER[land].name}: {zahl(len(liste))} Kommunen, {zahl(len(mit))} mit Änderungen",
                   "=" * 60]
        gruppen: dict[tuple, list[tuple[Kommune, Aenderung]]] = defaultdict(list)
        for e in liste:
            for a in e.aenderungen:
                gruppen[(a.regel.id, a.art, tuple(a.einzelheiten))].append((e.kommune, a))
        erfasst = [s for s in gruppen if s[1] == "abdeckungsbeginn"]
        for schluessel in sorted((s for s in gruppen if s[1] != "abdeckungsbeginn"),
                                 key=lambda s: (ORDNUNG[s[1]], s[0], s[2])):
            treffer = gruppen[schluessel]
            a = treffer[0][1]
            zeilen += ["", f"{a.regel.titel} ({a.regel.id})", f"  Norm: {a.norm_text}"]
            if a.einzelheiten:
                zeilen.append("  " + "; ".join(a.einzelheiten))
            anzahl = f"{zahl(len(treffer))} {'Kommune' if len(treffer) == 1 else 'Kommunen'}"
            zeilen.append(f"  bei {anzahl} geändert:" if a.art == "geaendert" else f"  {anzahl} {ART_TEXT[a.art]}:")
            for k, _ in sorted(treffer, key=lambda t: t[0].ags or t[0].name)[:zeige]:
                zeilen.append("    " + _kommune_kurz(k))
            if len(treffer) > zeige:
                zeilen.append(f"    … und {zahl(len(treffer) - zeige)} weitere (alle mit --ausgabe datei.csv)")
        if erfasst:
            zeilen += ["", "Erst ab ihrem geprüften Zeitraum erfasst (Beginn der Regelbasis, keine Rechtsänderung): "
                       + ", ".join(sorted({s[0] for s in erfasst}))]
    return zeilen


def csv_zeilen(eintraege: list[Eintrag]) -> list[list[str]]:
    kopf = ["AGS", "Kommune", "Land", "Regel", "Titel", "Änderung", "Einzelheiten", "Norm", "seit"]
    zeilen = [kopf]
    for e in eintraege:
        for a in e.aenderungen:
            zeilen.append([e.kommune.ags or "", e.kommune.name, e.kommune.land, a.regel.id, a.regel.titel, a.art,
                           "; ".join(a.einzelheiten), a.norm, a.seit.isoformat() if a.seit else ""])
    return [[sichtbar(z) for z in zeile] for zeile in zeilen]


__all__ = ["Eintrag", "text_kommune", "text_uebersicht", "csv_zeilen"]
