"""Was sich zwischen zwei Regelbasen an den Regeln selbst ändert – in Worten, wie ein Rechtsberater es prüft.

Ergebnis je Regel: neu, entfernt oder geändert, mit Einzelheiten je Fassung („Schwelle 1.000 → 3.000“, „Operator
mehr als → mindestens“, „Beginn 01.01.2020 → 01.02.2020“, „Typen: + landkreis“, „Norm § 84 → § 85“). Die
Wirkung auf Kommunen berechnet ``engine.auswertung.regelwirkung``; hier steht nur der Vergleich der Dateien.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from engine.begriffe import BUND, KOMMUNALTYPEN, LAENDER
from engine.felder import FELDER
from engine.regeln.basis import Regelbasis
from engine.regeln.modell import OPERATOR_TEXT, Alle, Bedingung, Eine, Nicht, Regel, RegelBezug, Vergleich, Version
from engine.zahlen import zahl


@dataclass
class Regelaenderung:
    art: str  # neu | entfernt | geaendert
    regel_id: str
    land: str
    titel: str
    einzelheiten: list[str] = field(default_factory=list)

    def text(self) -> str:
        wort = {"neu": "NEUE REGEL", "entfernt": "REGEL ENTFERNT", "geaendert": "GEÄNDERT"}[self.art]
        return f"{wort}: {self.titel} ({self.regel_id})"


def unterschiede(alt: Regelbasis, neu: Regelbasis) -> list[Regelaenderung]:
    """Alle Regeln, die in einer der beiden Regelbasen fehlen oder sich unterscheiden, nach Land und id geordnet."""
    ergebnis = []
    for rid in sorted(set(alt.regeln) | set(neu.regeln), key=lambda r: (_land(alt, neu, r), r)):
        a = alt.regeln[rid].regel if rid in alt.regeln else None
        b = neu.regeln[rid].regel if rid in neu.regeln else None
        if a is None:
            ergebnis.append(Regelaenderung("neu", rid, b.land, b.titel, _beschreibe_neu(b)))
        elif b is None:
            ergebnis.append(Regelaenderung("entfernt", rid, a.land, a.titel,
                                           [f"bisher {len(a.versionen)} Fassung(en), zuletzt "
                                            f"{a.versionen[-1].zitat.norm}"]))
        elif a != b:
            ergebnis.append(Regelaenderung("geaendert", rid, b.land, b.titel, regel_einzelheiten(a, b)))
    return ergebnis


def _land(alt: Regelbasis, neu: Regelbasis, rid: str) -> str:
    basis = neu if rid in neu.regeln else alt
    return basis.regeln[rid].regel.land


def betroffene_laender(aenderungen: list[Regelaenderung]) -> set[str]:
    """Nur hier kann sich ein Ergebnis ändern; eine Bundesregel gilt in jedem Land."""
    laender = {a.land for a in aenderungen}
    return set(LAENDER) if BUND in laender else laender


def _beschreibe_neu(regel: Regel) -> list[str]:
    zeilen = [f"{_verb(regel)}; Typen: {_typen(regel.typen)}"]
    for v in regel.versionen:
        zeilen.append(f"Fassung {_zeitraum(v)}: Voraussetzung {bedingung_text(v.bedingung)}; Norm {v.zitat.norm}")
    return zeilen


def _verb(regel: Regel) -> str:
    art = regel.art.value if regel.art else regel.rolle.value
    return art + (f" ({regel.verbindlichkeit.value})" if regel.verbindlichkeit else "")


def _typen(typen: list[str]) -> str:
    return ", ".join(KOMMUNALTYPEN[t].bezeichnung if t in KOMMUNALTYPEN else t for t in typen)


def _datum(tag: dt.date | None) -> str:
    return tag.strftime("%d.%m.%Y") if tag else "offen"


def _zeitraum(v: Version) -> str:
    return f"ab {_datum(v.gueltig_ab)}" + (f" bis {_datum(v.gueltig_bis)}" if v.gueltig_bis else "")


_KOPF = {"titel": "Titel", "art": "Art", "rolle": "Rolle", "gegenstand": "Gegenstand",
         "verbindlichkeit": "Verbindlichkeit", "rechtsfolge": "Rechtsfolge", "aufgabentyp": "Aufgabentyp",
         "ausnahme_zu": "Ausnahme zu", "vereinbar_mit": "vereinbar mit", "abdeckung_ab": "geprüft ab",
         "hinweis": "Hinweis", "abweichung_studie": "Abweichung der Studie", "stand": "Rechtsstand geprüft am"}
_ZITAT = {"norm": "Norm", "gesetz": "Gesetz", "amtliche_fundstelle": "amtliche Fundstelle", "url": "Link",
          "wortlaut": "Wortlaut", "inhalt": "Inhalt", "fassung": "Fassungsangabe", "pruefstatus": "Prüfstatus",
          "quelle_wortlaut": "Wortlaut abgeglichen mit", "norm_ermittelt": "Norm ermittelt"}
_LANG = 60  # längere Texte (Wortlaut, Rechtsfolge) nur als „geändert“, nicht im Ganzen


def regel_einzelheiten(a: Regel, b: Regel) -> list[str]:
    zeilen = []
    if a.typen != b.typen:
        dazu = [t for t in b.typen if t not in a.typen]
        weg = [t for t in a.typen if t not in b.typen]
        teile = ([f"+ {_typen(dazu)}"] if dazu else []) + ([f"– {_typen(weg)}"] if weg else [])
        zeilen.append("Kommunaltypen: " + "; ".join(teile or ["Reihenfolge"]))
    for feld, name in _KOPF.items():
        x, y = getattr(a, feld), getattr(b, feld)
        if x != y:
            zeilen.append(f"{name}: {_wert(x)} → {_wert(y)}")
    if a.foerderung != b.foerderung:
        zeilen += _foerderung(a, b)
    zeilen += _versionen(a.versionen, b.versionen)
    return zeilen or ["nur Form oder Reihenfolge (kein inhaltlicher Unterschied)"]


def _wert(x: Any) -> str:
    if x is None:
        return "–"
    if hasattr(x, "value"):
        return str(x.value)
    if isinstance(x, dt.date):
        return _datum(x)
    if isinstance(x, bool):
        return "ja" if x else "nein"
    if isinstance(x, int):
        return zahl(x)
    if isinstance(x, list):
        return ", ".join(_wert(e) for e in x) or "–"
    text = str(x)
    return f"„{text}“" if len(text) <= _LANG else f"„{text[:_LANG - 1]}…“"


def _versionen(alte: list[Version], neue: list[Version]) -> list[str]:
    """Fassungen paarweise nach Beginn; übrige als hinzugekommen oder entfernt."""
    zeilen = []
    paare, rest_alt, rest_neu = _paare(alte, neue)
    for x, y in paare:
        einzel = _version_einzelheiten(x, y)
        if einzel:
            zeilen.append(f"Fassung {_zeitraum(y)}: " + "; ".join(einzel))
    for v in rest_neu:
        zeilen.append(f"neue Fassung {_zeitraum(v)}: Voraussetzung {bedingung_text(v.bedingung)}; Norm {v.zitat.norm}")
    for v in rest_alt:
        zeilen.append(f"Fassung {_zeitraum(v)} entfernt (Norm {v.zitat.norm})")
    return zeilen


def _paare(alte: list[Version], neue: list[Version]):
    """Gleicher Beginn zuerst; danach gleiche Position (eine verschobene erste Fassung ist dieselbe Fassung)."""
    paare, frei_alt, frei_neu = [], list(alte), list(neue)
    for y in list(frei_neu):
        x = next((x for x in frei_alt if x.gueltig_ab == y.gueltig_ab), None)
        if x is not None:
            paare.append((x, y))
            frei_alt.remove(x)
            frei_neu.remove(y)
    while frei_alt and frei_neu and len(frei_alt) == len(frei_neu):
        paare.append((frei_alt.pop(0), frei_neu.pop(0)))
    paare.sort(key=lambda p: p[1].gueltig_ab)
    return paare, frei_alt, frei_neu


def _version_einzelheiten(x: Version, y: Version) -> list[str]:
    zeilen = []
    if x.gueltig_ab != y.gueltig_ab:
        zeilen.append(f"Beginn {_datum(x.gueltig_ab)} → {_datum(y.gueltig_ab)}")
    if x.gueltig_bis != y.gueltig_bis:
        zeilen.append(f"Ende {_datum(x.gueltig_bis)} → {_datum(y.gueltig_bis)}")
    if x.bedingung != y.bedingung:
        zeilen += _bedingung_einzelheiten(x.bedingung, y.bedingung)
    if x.rechtsfolge != y.rechtsfolge:
        zeilen.append(f"Rechtsfolge: {_wert(x.rechtsfolge)} → {_wert(y.rechtsfolge)}")
    for feld, name in _ZITAT.items():
        a, b = getattr(x.zitat, feld), getattr(y.zitat, feld)
        if a != b:
            zeilen.append(f"{name} geändert" if feld in ("wortlaut", "inhalt") else f"{name}: {_wert(a)} → {_wert(b)}")
    return zeilen


def _bedingung_einzelheiten(a: Bedingung | None, b: Bedingung | None) -> list[str]:
    """Gleiche Form: je Vergleich Schwelle und Operator; sonst die ganze Bedingung alt → neu."""
    va, vb = list(_vergleiche(a)), list(_vergleiche(b))
    if a is not None and b is not None and _form(a) == _form(b) and len(va) == len(vb):
        zeilen = []
        for x, y in zip(va, vb):
            name = _feldname(y)
            if x.feld != y.feld:
                zeilen.append(f"Größe {_feldname(x)} → {name}")
            if x.op != y.op:
                zeilen.append(f"Operator bei {name}: {OPERATOR_TEXT[x.op]} → {OPERATOR_TEXT[y.op]}")
            if x.wert != y.wert:
                zeilen.append(f"Schwelle {name}: {wert_text(x)} → {wert_text(y)}")
        return zeilen or ["Bedingung umgestellt"]
    return [f"Voraussetzung {bedingung_text(a)} → {bedingung_text(b)}"]


def _vergleiche(b: Bedingung | None):
    if isinstance(b, Vergleich):
        yield b
    elif isinstance(b, (Alle, Eine)):
        for t in (b.alle if isinstance(b, Alle) else b.eine):
            yield from _vergleiche(t)
    elif isinstance(b, Nicht):
        yield from _vergleiche(b.nicht)


def _form(b: Bedingung | None) -> Any:
    """Die Gestalt einer Bedingung ohne Werte – gleiche Gestalt heißt: Vergleiche lassen sich paarweise nennen."""
    if isinstance(b, Vergleich):
        return "v"
    if isinstance(b, Alle):
        return ("alle", tuple(_form(t) for t in b.alle))
    if isinstance(b, Eine):
        return ("eine", tuple(_form(t) for t in b.eine))
    if isinstance(b, Nicht):
        return ("nicht", _form(b.nicht))
    if isinstance(b, RegelBezug):
        return ("regel", b.regel, b.zustand, b.durch)
    return None


def _feldname(v: Vergleich) -> str:
    feld = FELDER.get(v.feld)
    return f"„{v.bezeichnung or (feld.bezeichnung if feld else v.feld)}“"


def wert_text(v: Vergleich) -> str:
    feld = FELDER.get(v.feld)
    if isinstance(v.wert, list):
        return ", ".join(str(w) for w in v.wert)
    if feld is not None and feld.art == "anteil":
        return f"{str(v.wert).replace('.', ',')} %"
    if isinstance(v.wert, bool):
        return "ja" if v.wert else "nein"
    if isinstance(v.wert, int):
        return zahl(v.wert)
    return str(v.wert)


def bedingung_text(b: Bedingung | None) -> str:
    """Eine Bedingung in einer Zeile: „ausländische Einwohner mehr als 1.000 und …“."""
    if b is None:
        return "keine (jede Kommune der Typen)"
    if isinstance(b, Vergleich):
        return f"{_feldname(b)} {OPERATOR_TEXT[b.op]} {wert_text(b)}"
    if isinstance(b, Alle):
        return "(" + " und ".join(bedingung_text(t) for t in b.alle) + ")"
    if isinstance(b, Eine):
        return "(" + " oder ".join(bedingung_text(t) for t in b.eine) + ")"
    if isinstance(b, Nicht):
        return f"nicht {bedingung_text(b.nicht)}"
    if isinstance(b, RegelBezug):
        return f"Regel {b.regel} {'erfüllt' if b.zustand == 'erfuellt' else 'entfällt'}"
    return str(b)


def _foerderung(a: Regel, b: Regel) -> list[str]:
    fa, fb = a.foerderung, b.foerderung
    if fa is None or fb is None:
        return ["Förderangaben hinzugefügt" if fa is None else "Förderangaben entfernt"]
    zeilen = []
    for feld in ("programm", "foerdergeber", "bewilligungsbehoerde", "antragsfrist", "nach_ende", "nachfolger"):
        x, y = getattr(fa, feld), getattr(fb, feld)
        if x != y:
            zeilen.append(f"Förderung {feld}: {_wert(x)} → {_wert(y)}")
    for x, y in zip(fa.parameter, fb.parameter):
        if x != y:
            einzel = [f"{feld} {_wert(getattr(x, feld))} → {_wert(getattr(y, feld))}"
                      for feld in ("gueltig_ab", "gueltig_bis", "berechnung", "betrag", "stellen", "foerdersatz",
                                   "hoechstbetrag", "bemessungsgrenze")
                      if getattr(x, feld) != getattr(y, feld)]
            zeilen.append(f"Förderparameter ab {_datum(y.gueltig_ab)}: " + ("; ".join(einzel) or "Staffel/Zusatz geändert"))
    if len(fb.parameter) > len(fa.parameter):
        zeilen += [f"neuer Förderparameter ab {_datum(p.gueltig_ab)}" for p in fb.parameter[len(fa.parameter):]]
    if len(fa.parameter) > len(fb.parameter):
        zeilen += [f"Förderparameter ab {_datum(p.gueltig_ab)} entfernt" for p in fa.parameter[len(fb.parameter):]]
    return zeilen or ["Förderangaben umgestellt"]


__all__ = ["Regelaenderung", "unterschiede", "betroffene_laender", "regel_einzelheiten", "bedingung_text",
           "wert_text"]
