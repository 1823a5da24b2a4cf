"""Die Wirkung einer Regeländerung auf die Kommunen: dieselben Kommunen, derselbe Stichtag, zwei Regelbasen.

Beide Seiten werden mit der Massenauswertung bewertet (``vergleich.zustaende`` über ``massen.bewerte``, mit dem
Zwischenspeicher je Plan-Klasse wie ``batch``). Ausgewertet werden nur die Länder, deren Regeln sich ändern – eine
Änderung in Hessen kann in Bayern nichts bewirken; eine Bundesregel wirkt überall. Arten der Wirkung je Kommune und
Regel: NEU (gibt es nur mit den neuen Regeln), ENTFÄLLT (nur mit den alten), STATUS alt → neu, HÖHE alt → neu.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from engine.auswertung.durable import auswerter_fuer
from engine.auswertung.massen import bewerte_alle
from engine.auswertung.vergleich import Zustand, zustaende
from engine.kommunen.profil import Kommune
from engine.regeln.basis import Regelbasis

ARTEN = ("neu", "entfaellt", "status", "hoehe")
ARTEN_TEXT = {"neu": "NEU", "entfaellt": "ENTFÄLLT", "status": "STATUS", "hoehe": "HÖHE"}


@dataclass(frozen=True)
class Wirkung:
    """Eine Kommune, eine Regel, eine Art der Änderung – eine Zeile der CSV."""

    kommune: Kommune
    regel_id: str
    art: str
    vorher: Zustand | None
    nachher: Zustand | None


def vergleiche_zustaende(kommune: Kommune, vorher: dict[str, Zustand], nachher: dict[str, Zustand]) -> list[Wirkung]:
    wirkungen = []
    for rid in sorted(set(vorher) | set(nachher)):
        a, b = vorher.get(rid), nachher.get(rid)
        if a is None:
            wirkungen.append(Wirkung(kommune, rid, "neu", None, b))
        elif b is None:
            wirkungen.append(Wirkung(kommune, rid, "entfaellt", a, None))
        else:
            if a.status != b.status:
                wirkungen.append(Wirkung(kommune, rid, "status", a, b))
            if a.betrag != b.betrag or a.einmalig != b.einmalig:
                wirkungen.append(Wirkung(kommune, rid, "hoehe", a, b))
    return wirkungen


class _Vergleicher:
    """Formatierer für ``massen.bewerte_alle``: bewertet die Kommune mit der neuen Regelbasis (die der
    Massenauswertung) und der alten (eigener Auswerter je Prozess) und gibt die Wirkungen statt eines Textes zurück."""

    def __init__(self, alt: Regelbasis):
        self.alt = alt
        self._pid: int | None = None

    def __call__(self, kommune: Kommune, stichtag: dt.date, regelbasis: Regelbasis, auswerter, speicher):
        import os

        if self._pid != os.getpid():  # im Arbeitsprozess: eigener Auswerter und Zwischenspeicher der alten Regeln
            self._auswerter, self._speicher, self._pid = auswerter_fuer(self.alt), {}, os.getpid()
        wirkungen = vergleiche_zustaende(kommune, zustaende(kommune, stichtag, self.alt, self._auswerter, self._speicher),
                                         zustaende(kommune, stichtag, regelbasis, auswerter, speicher))
        return [], wirkungen


def wirkung(alt: Regelbasis, neu: Regelbasis, datensaetze: Sequence, stichtag: dt.date, merkmale: tuple = (),
            fortschritt: Callable[[int], None] | None = None, prozesse: int = 1) -> Iterator[Wirkung]:
    """Je Datensatz (``engine.kommunen.daten``) die Wirkungen, in der Reihenfolge der Datensätze – mit ``prozesse``
    > 1 verteilt wie ``batch`` (gleiches Ergebnis)."""
    zeilen = bewerte_alle(datensaetze, stichtag, neu, _Vergleicher(alt), merkmale, prozesse)
    with contextlib.closing(zeilen):
        for _, _, wirkungen in zeilen:
            yield from wirkungen
            if fortschritt:
                fortschritt(1)


def auswahl(datensaetze: Iterable, laender: set[str], typen: set[str] | None = None) -> list:
    return [d for d in datensaetze if d.land in laender and (not typen or d.typ in typen)]


__all__ = ["Wirkung", "wirkung", "vergleiche_zustaende", "auswahl", "ARTEN", "ARTEN_TEXT"]
