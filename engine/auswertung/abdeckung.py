"""Was ein Bericht über die Regelbasis selbst sagt: Gegenstände ohne Regel für Land und Typ (Lücken) und
Förderprogramme, deren Phase vor dem Stichtag endete."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from engine.begriffe import ABGEDECKTE_GEGENSTAENDE, konkrete_typen
from engine.kommunen.profil import Kommune
from engine.regeln.basis import Regelbasis
from engine.regeln.modell import Regel


@dataclass
class BeendetesProgramm:
    """Ein Förderprogramm für diesen Kommunaltyp, dessen belegte Förderphase vor dem Stichtag endete."""

    regel: Regel
    ende: dt.date
    fortfuehrung: str  # unbestaetigt | beendet
    nachfolger: str | None



def luecken(regelbasis: Regelbasis, kommune: Kommune) -> list[str]:
    """Gegenstände, zu denen die Regelbasis für Land und Typ dieser Kommune keine einzige Regel hat (je Land und Typ
    einmal gesucht)."""
    cache = regelbasis.__dict__.setdefault("_luecken", {})
    schluessel = (kommune.land, kommune.typ)
    if schluessel not in cache:
        vorhanden = {r.gegenstand for r in regelbasis.fuer_land(kommune.land) if kommune.typ in konkrete_typen(r.typen)}
        cache[schluessel] = [g for g in ABGEDECKTE_GEGENSTAENDE if g not in vorhanden]
    return list(cache[schluessel])


def beendete_programme(regelbasis: Regelbasis, kommune: Kommune, stichtag: dt.date) -> list[BeendetesProgramm]:
    """Förderprogramme für diesen Typ, deren letzte belegte Phase vor dem Stichtag endete (ohne Nachfolger im Land)."""
    ergebnis = []
    for regel in regelbasis.fuer_land_sortiert(kommune.land):
        f = regel.foerderung
        if f is None or kommune.typ not in konkrete_typen(regel.typen) or regel.version_am(stichtag) is not None:
            continue
        ende = regel.versionen[-1].gueltig_bis
        if ende is None or ende >= stichtag:
            continue  # noch nicht begonnen oder keine Phase abgelaufen
        if f.nachfolger and f.nachfolger in regelbasis.regeln:
            continue  # das Nachfolgeprogramm steht selbst im Bericht
        ergebnis.append(BeendetesProgramm(regel, ende, f.nach_ende, f.nachfolger))
    return ergebnis


__all__ = ["BeendetesProgramm", "beendete_programme", "luecken"]
