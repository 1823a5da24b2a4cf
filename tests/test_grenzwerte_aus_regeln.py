"""Grenzwerttests, die aus den Regeldateien selbst abgeleitet werden.

Für jede Zahlen- und Anteilsschwelle jeder Regelversion: Wert knapp darunter, genau auf und knapp über der
Schwelle; für jede Version: Tag vor Beginn, erster Tag, letzter Tag, Tag danach. Eine neue Regeldatei bekommt
diese Tests, ohne dass jemand sie schreibt. Erwartet wird, was der Operator verlangt (Wahrheitstafel unten),
geprüft wird der durable-rules-Pfad.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from engine.werkzeuge.zeugen import Literal, aufgeloeste_konjunktionen, loese, zeuge
from engine.begriffe import Rolle, konkrete_typen, typ_und_oberbegriffe, typen_im_geltungsbereich
from engine.felder import FELDER
from engine.regeln.basis import lade_regelbasis
from engine.regeln.modell import prozentwert

# Erwartung je Operator für (Schwelle − 1, Schwelle, Schwelle + 1)
WAHRHEITSTAFEL = {
    "gt": (False, False, True),
    "gte": (False, True, True),
    "lt": (True, False, False),
    "lte": (True, True, False),
    "eq": (False, True, False),
    "ne": (True, False, True),
}

_BASIS = lade_regelbasis()


def _schwellenfaelle():
    faelle = []
    for geladen in sorted(_BASIS.regeln.values(), key=lambda g: g.regel.id):
        regel = geladen.regel
        if regel.rolle != Rolle.regel:
            continue
        for index, version in enumerate(regel.versionen):
            for k_index, konj in enumerate(aufgeloeste_konjunktionen(_BASIS, regel, index)):
                for lit in konj:
                    if lit.feld and FELDER[lit.feld].art in ("zahl", "anteil") and lit.op in WAHRHEITSTAFEL:
                        faelle.append(pytest.param(regel.id, index, k_index, lit, id=f"{regel.id}#{index}:{lit.feld}{lit.op}{lit.wert}"))
    return faelle


def _stichtag(version) -> dt.date:
    return version.gueltig_bis or max(version.gueltig_ab, dt.date(2024, 6, 1))


def _mit_wert(konj: list[Literal], lit: Literal, wert: int, land: str, typ: str):
    """Zeugenprofil der Konjunktion ohne das getestete Literal, mit dem getesteten Feld auf ``wert``."""
    andere = [l for l in konj if l is not lit]
    feld = FELDER[lit.feld]
    if feld.art == "zahl":
        fest = [Literal(lit.feld, "eq", wert)]
    else:  # Anteil: Einwohner fest, ausländische Einwohner so, dass der Anteil genau an/um die Schwelle liegt
        fest = [Literal(feld.zaehler, "eq", wert)]
    return loese(andere + fest, land, typ)


@pytest.mark.parametrize("regel_id, index, k_index, lit", _schwellenfaelle())
def test_schwelle_knapp_darunter_genau_darueber(regel_id, index, k_index, lit, durable, referenz):
    regel = _BASIS.regel(regel_id)
    version = regel.versionen[index]
    konj = aufgeloeste_konjunktionen(_BASIS, regel, index)[k_index]
    tag = _stichtag(version)
    for typ in [t for t in konkrete_typen(regel.typen) if t in typen_im_geltungsbereich(regel.land)]:
        feld = FELDER[lit.feld]
        if feld.art == "zahl":
            schwelle = lit.wert
        else:
            grenze = prozentwert(lit.wert) * 100_000 / 100
            assert grenze.denominator == 1, "Anteilsschwellen werden bei 100.000 Einwohnern exakt getroffen"
            schwelle = int(grenze)
        for erwartet, wert in zip(WAHRHEITSTAFEL[lit.op], (schwelle - 1, schwelle, schwelle + 1)):
            profil = _mit_wert(konj, lit, wert, regel.land, typ)
            if profil is None:
                continue  # Wert mit den übrigen Bedingungen unvereinbar (z. B. negativ)
            if feld.art == "anteil":
                assert (Fraction(100 * profil.auslaendische_einwohner, profil.einwohner) > prozentwert(lit.wert)) - (
                    Fraction(100 * profil.auslaendische_einwohner, profil.einwohner) < prozentwert(lit.wert)
                ) == wert - schwelle
            inferenz = durable.inferiere(profil, tag)
            andere_zweige = any(
                loese_passt(k, profil) for j, k in enumerate(aufgeloeste_konjunktionen(_BASIS, regel, index)) if j != k_index
            )
            if erwartet:
                assert inferenz.tatbestaende.get(regel_id) == index, (profil, tag)
            elif not andere_zweige:
                assert regel_id not in inferenz.tatbestaende, (profil, tag)
            assert inferenz.normalisiert() == referenz.inferiere(profil, tag).normalisiert()


def loese_passt(konj: list[Literal], profil) -> bool:
    """Erfüllt das Profil eine (aufgelöste) Konjunktion? Wahrheitstafel je Literal, ohne den Compiler."""
    from engine.auswertung.bedingungen import istwert, vergleiche

    for lit in konj:
        if lit.feld == "typ":
            if (lit.wert in typ_und_oberbegriffe(profil.typ)) != (lit.op == "eq"):
                return False
            continue
        feld = FELDER[lit.feld]
        ist = istwert(profil, lit.feld)
        soll = prozentwert(lit.wert) if feld.art == "anteil" else lit.wert
        if not vergleiche(ist, lit.op, soll):
            return False
    return True


def _versionsfaelle():
    faelle = []
    for geladen in sorted(_BASIS.regeln.values(), key=lambda g: g.regel.id):
        for index, _ in enumerate(geladen.regel.versionen):
            faelle.append(pytest.param(geladen.regel.id, index, id=f"{geladen.regel.id}#{index}"))
    return faelle


@pytest.mark.parametrize("regel_id, index", _versionsfaelle())
def test_geltungszeitraum_tag_davor_erster_letzter_danach(regel_id, index, durable, referenz):
    regel = _BASIS.regel(regel_id)
    version = regel.versionen[index]
    profil = zeuge(_BASIS, regel, index)
    assert profil is not None, "jede Version muss erfüllbar sein (sonst ist sie unerreichbar)"
    tage = [(version.gueltig_ab - dt.timedelta(days=1), False), (version.gueltig_ab, True)]
    if version.gueltig_bis is not None:
        tage += [(version.gueltig_bis, True), (version.gueltig_bis + dt.timedelta(days=1), False)]
    for tag, drin in tage:
        inferenz = durable.inferiere(profil, tag)
        if regel.rolle == Rolle.regel:
            getroffen = inferenz.tatbestaende.get(regel_id) == index
        else:
            getroffen = any((regel_id, index) in inferenz.verdraengt.get(z, []) for z in regel.ausnahme_zu)
        assert getroffen == drin, (tag, profil)
        assert inferenz.normalisiert() == referenz.inferiere(profil, tag).normalisiert()
