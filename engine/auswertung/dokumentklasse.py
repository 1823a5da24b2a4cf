"""Kommunen mit demselben Bericht (Issue 19, ``batch`` als JSONL).

Außer im Block der Kommune (Name, AGS, Zahlen, Quellen) hängt ein Bericht von der Kommune nur über das ab, wonach die
Regeln ihres Landes fragen: Land, Typ, die gefragten Merkmale und – nur wenn eine Regel des Landes eine Zahl liest
(Schwelle, Anteil, Förderstaffel) – die Zahlen samt Spannen und Zählweise. In Bayern haben 2.127 Gemeinden fünf
verschiedene Berichte, in Rheinland-Pfalz (Beirat ab 1.000 ausländischen Einwohnern) fast jede einen eigenen.

``stellvertreter`` baut aus einer Kommune ein Profil, das **nur** die Angaben ihres ``schluessel`` trägt (alles andere
neutral). Ein Bericht aus dem Stellvertreter ist damit per Konstruktion derselbe für alle Kommunen mit gleichem
Schlüssel; dass er auch (außer im Block der Kommune) derselbe ist wie aus dem vollen Profil, prüft
``tests/test_dokumentklasse.py`` – jeder Zugriff des Berichts auf das Profil und der Text ganzer Länder.
"""

from __future__ import annotations

from engine.auswertung.bericht import gelesene_felder
from engine.auswertung.betraege import staffel_im_land
from engine.felder import MERKMALE
from engine.kommunen.profil import Kommune
from engine.regeln.basis import Regelbasis

# Was eine Regel über Zahlen liest: die Zahlen, ihre Spannen und der Grund dafür (Begründung „gilt in der ganzen
# Spanne …“), die Zählweise und ihr Stand
ZAHLENANGABEN = ("einwohner", "auslaendische_einwohner", "unsicherheit", "auslaendische_einwohner_zaehlweise",
                 "auslaendische_einwohner_stand")

# Angaben, die nur der Block der Kommune zeigt; im Stellvertreter neutral. Die Zahlen werden es (0, ohne Spanne), wenn
# keine Regel des Landes eine Zahl liest.
NUR_IM_KOPF = {"name": "", "ags": None, "quelle": None, "stichtag_daten": None, "kreis": None, "merkmal_quellen": {},
               "typ_herleitung": None}
OHNE_ZAHLEN = {"einwohner": 0, "auslaendische_einwohner": 0, "unsicherheit": None,
               "auslaendische_einwohner_zaehlweise": None, "auslaendische_einwohner_stand": None}


def liest_zahlen(regelbasis: Regelbasis, regel_id: str) -> bool:
    """Ob die Bedingungen der Regel (alle Fassungen, ihre Ausnahmen) eine Zahl der Kommune lesen – Einwohner oder
    ausländische Einwohner, auch als Anteil (``gelesene_felder`` nennt außer dem Typ sonst nur Merkmale)."""
    return any(f not in MERKMALE for f in gelesene_felder(regelbasis, regel_id))


def im_land_gefragt(regelbasis: Regelbasis, land: str) -> tuple[tuple[str, ...], bool]:
    """(die Merkmale, nach denen eine Regel des Landes oder des Bundes fragt; ob eine davon eine Zahl liest) – aus den
    Bedingungen aller Fassungen (also auch künftiger, für „Demnächst“) und ihrer Ausnahmen, dazu jede Förderstaffel
    nach Einwohnern. Je Land einmal."""
    cache = regelbasis.__dict__.setdefault("_im_land_gefragt", {})
    if land not in cache:
        regeln = regelbasis.fuer_land(land)
        merkmale = {f for regel in regeln for f in gelesene_felder(regelbasis, regel.id) if f in MERKMALE}
        zahlen = staffel_im_land(regelbasis, land) or any(liest_zahlen(regelbasis, regel.id) for regel in regeln)
        cache[land] = (tuple(sorted(merkmale)), zahlen)
    return cache[land]


def schluessel(kommune: Kommune, regelbasis: Regelbasis) -> tuple:
    """Die Angaben der Kommune, von denen ihr Bericht (außer dem Block der Kommune) abhängt; das letzte Element sind
    die Zahlenangaben oder ``None``, wenn keine Regel des Landes eine Zahl liest."""
    merkmale, zahlen = im_land_gefragt(regelbasis, kommune.land)
    werte = kommune.merkmale
    return (kommune.land, kommune.typ, tuple((m, werte[m]) for m in merkmale if m in werte),
            tuple(getattr(kommune, f) for f in ZAHLENANGABEN) if zahlen else None)


def stellvertreter(kommune: Kommune, regelbasis: Regelbasis) -> Kommune:
    """Ein Profil, das von der Kommune genau die Angaben ihres ``schluessel`` trägt, alles andere neutral."""
    _, _, gefragt, zahlen = schluessel(kommune, regelbasis)
    return kommune.ersetzt(**NUR_IM_KOPF, merkmale=dict(gefragt), **({} if zahlen is not None else OHNE_ZAHLEN))


__all__ = ["schluessel", "stellvertreter", "im_land_gefragt", "liest_zahlen", "ZAHLENANGABEN"]
