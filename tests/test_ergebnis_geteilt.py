"""Ein Ergebnis je gleicher Eingabe (Issue 19, JSONL): ``_ergebnis_geteilt`` nimmt vom Profil nur den Typ, die
Einwohner einer Förderung und die Felder der Bedingungen in den Schlüssel. Hier wird nachgesehen, dass ``_ergebnis``
wirklich nichts anderes vom Profil liest – für jede Regel jedes Landes an Kommunen aller Länder und Typen."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from engine.auswertung import bericht as B
from engine.auswertung import varianten
from engine.felder import MERKMALE
from engine.kommunen import daten
from engine.kommunen.profil import Kommune

FELDNAMEN = {f.name for f in dataclasses.fields(Kommune)}


class Verfolgt(Kommune):
    """Ein Profil, das jeden Zugriff auf seine Felder mitschreibt (Merkmale einzeln, als „m:Name“)."""

    def __getattribute__(self, name):
        if name in FELDNAMEN and not object.__getattribute__(self, "__dict__").get("_im_merkmal"):
            object.__getattribute__(self, "__dict__")["_gelesen"].add(name)
        return object.__getattribute__(self, name)

    def merkmal(self, name):
        d = object.__getattribute__(self, "__dict__")
        d["_gelesen"].add("m:" + name)
        d["_im_merkmal"] = True
        try:
            return super().merkmal(name)
        finally:
            d["_im_merkmal"] = False


def _verfolgt(kommune: Kommune) -> Verfolgt:
    k = object.__new__(Verfolgt)
    k.__dict__.update(kommune.__dict__)
    k.__dict__.update(_gelesen=set(), _im_merkmal=False)
    return k


def _erlaubt(regelbasis, regel_id: str) -> set[str]:
    erlaubt = {"typ"}
    if regelbasis.regel(regel_id).foerderung is not None:
        erlaubt.add("einwohner")
    for feld in B.gelesene_felder(regelbasis, regel_id):
        erlaubt.add("m:" + feld if feld in MERKMALE else feld)
    return erlaubt


@pytest.mark.parametrize("tag", [dt.date(2019, 3, 1), dt.date(2025, 6, 1), dt.date(2026, 12, 6)])
def test_ergebnis_liest_nur_die_felder_seines_schluessels(regelbasis, durable, tag):
    auswahl = {}
    for d in daten.alle():  # je Land und Typ eine Kommune, dazu jede 97.
        auswahl.setdefault((d.land, d.typ), d)
    auswahl = [*auswahl.values(), *daten.alle()[::97]]
    titel = B._titel_von(regelbasis)
    geprueft = 0
    for d in auswahl:
        kommune = d.profil(tag)
        plan = varianten.plane(kommune, regelbasis)
        inferenzen = durable.inferiere_plan(plan, tag)
        unbekannt = frozenset(plan.unbekannt)
        for i in range(len(plan.varianten)):
            stelle = _verfolgt(plan.variante(i).als_kommune(kommune))
            for regel_id in inferenzen[i].tatbestaende:
                stelle.__dict__["_gelesen"] = set()
                B._ergebnis(regelbasis, regel_id, stelle, inferenzen[i], tag, titel, unbekannt)
                gelesen = stelle.__dict__["_gelesen"]
                assert gelesen <= _erlaubt(regelbasis, regel_id), (d.ags, regel_id, gelesen - _erlaubt(regelbasis,
                                                                                                       regel_id))
                geprueft += 1
    assert geprueft > 2000


def test_verfolgung_bemerkt_fremde_zugriffe(regelbasis):
    """Die Verfolgung selbst: ein Zugriff auf Name und ein Merkmal werden gesehen."""
    k = _verfolgt(daten.nach_ags("06413000").profil(dt.date(2025, 6, 1)))
    _ = k.name
    k.wert("beiratswahl_ausgefallen")
    assert k.__dict__["_gelesen"] == {"name", "m:beiratswahl_ausgefallen"}


def test_geteiltes_ergebnis_ist_eine_kopie(regelbasis, durable):
    """Der Bericht ergänzt die Begründung eines Ergebnisses: die Vorlage im Zwischenspeicher bleibt unberührt."""
    tag = dt.date(2025, 6, 1)
    speicher: dict = {}
    kommune = daten.nach_ags("06438001").profil(tag)
    erster = B.erstelle_bericht(kommune, tag, regelbasis, durable, speicher)
    zweiter = B.erstelle_bericht(kommune, tag, regelbasis, durable, speicher)
    ohne = B.erstelle_bericht(kommune, tag, regelbasis, durable)
    for a, b, c in zip(erster.ergebnisse, zweiter.ergebnisse, ohne.ergebnisse):
        assert a.begruendung == b.begruendung == c.begruendung and a.begruendung is not b.begruendung
    assert any(s[0] == "ergebnis" for s in speicher if isinstance(s, tuple) and s)
