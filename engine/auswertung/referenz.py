"""Referenz-Auswerter: dieselbe Regelsemantik in wenigen Zeilen reinem Python.

Dient den Tests als unabhängiges Orakel für den durable-rules-Pfad (Differentialtests) und ist
bewusst naiv: Fixpunkt-Iteration über alle Regeln, ohne Kompilierung.
"""

from __future__ import annotations

import datetime as dt

from engine.begriffe import Rolle, konkrete_typen
from engine.auswertung.bedingungen import Inferenz, erfuellt
from engine.kommunen.profil import Kommune
from engine.regeln.basis import Regelbasis


class ReferenzAuswerter:
    name = "Referenz-Auswerter (reines Python)"
    def __init__(self, regelbasis: Regelbasis):
        self.regelbasis = regelbasis

    def inferiere(self, kommune: Kommune, stichtag: dt.date, variante=None, zwischenspeicher: dict | None = None,
                  nur: set[str] | None = None) -> Inferenz:
        """Wie ``DurableAuswerter.inferiere``; ``zwischenspeicher`` wird bewusst nicht genutzt (Orakel ohne Tricks).
        ``nur``: nur diese Regeln betrachten (für die Logikprüfung je Gegenstand)."""
        if variante is not None:
            kommune = variante.als_kommune(kommune)
        kandidaten = []
        for regel in self.regelbasis.fuer_land(kommune.land):
            if (nur is not None and regel.id not in nur) or kommune.typ not in konkrete_typen(regel.typen):
                continue
            treffer = regel.version_am(stichtag)
            if treffer is not None:
                kandidaten.append((regel, *treffer))
        inferenz = Inferenz()
        geaendert = True
        while geaendert:  # positive Verkettung: monoton, daher endlich
            geaendert = False
            for regel, index, version in kandidaten:
                if not erfuellt(version.bedingung, kommune, inferenz):
                    continue
                if regel.rolle == Rolle.regel:
                    if regel.id not in inferenz.tatbestaende:
                        inferenz.tatbestaende[regel.id] = index
                        geaendert = True
                else:
                    for ziel in regel.ausnahme_zu:
                        eintrag = (regel.id, index)
                        if ziel in inferenz.tatbestaende and eintrag not in inferenz.verdraengt.get(ziel, []):
                            inferenz.verdraengt.setdefault(ziel, []).append(eintrag)
                            geaendert = True
        return inferenz

    def inferiere_plan(self, plan, stichtag: dt.date, zwischenspeicher: dict | None = None) -> list[Inferenz]:
        plan.klassen = None  # das Orakel kennt keine Klassen: jede Beurteilung wird gerechnet
        return [self.inferiere(plan.kommune, stichtag, v) for v in plan.varianten]
