"""Auswertung einer Kommune an einem Stichtag: Inferenz (durable-rules) plus Erklärung mit Zitaten.

Die Entscheidung, welche Tatbestände erfüllt und welche Regeln verdrängt sind, kommt allein aus der
Inferenz. Die Erklärung rechnet die Bedingungen zur Darstellung nach und bricht mit einem ``EngineFehler``
ab, falls sie der Inferenz widerspricht – so fällt jede Abweichung zwischen Compiler und Semantik auf.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol

from engine import __version__
from engine.auswertung import bereiche
from engine.regeln.logik import dnf
from engine.auswertung.bedingungen import Inferenz, abstand, begruende, erfuellt, istwert, vergleiche
from engine.zahlen import prozent, zahl
from engine.felder import FELDER
from engine.regeln.modell import OPERATOR_TEXT, prozentwert
from engine.auswertung.betraege import Betrag, berechne, naechste_frist
from engine.begriffe import GEGENSTAENDE, KOMMUNALTYPEN, LAENDER, PRUEFSTATUS_TEXT, Art, Rolle, Status, Verbindlichkeit, konkrete_typen
from engine.fehler import EngineFehler
from engine.kommunen.profil import Kommune
from engine.regeln.basis import Regelbasis
from engine.regeln.modell import Regel, Version, Zitat


class Auswerter(Protocol):
    def inferiere(self, kommune: Kommune, stichtag: dt.date) -> Inferenz: ...


@dataclass
class AusnahmePruefung:
    regel: str
    titel: str
    greift: bool
    begruendung: list[str]
    zitat: Zitat


@dataclass
class Foerderangaben:
    betrag: "Betrag"
    naechste_frist: dt.date | None
    laeuft_aus: dt.date | None  # Ende der Programmfassung, wenn es innerhalb von AUSLAUF_TAGE liegt


AUSLAUF_TAGE = 183  # „läuft bald aus“: Ende innerhalb eines halben Jahres nach dem Stichtag


@dataclass
class Ergebnis:
    regel: Regel
    version_index: int
    status: Status
    begruendung: list[str]
    ausnahmen: list[AusnahmePruefung] = field(default_factory=list)
    foerderung: Foerderangaben | None = None

    @property
    def version(self) -> Version:
        return self.regel.versionen[self.version_index]

    @property
    def rechtsfolge(self) -> str:
        return self.version.rechtsfolge or self.regel.rechtsfolge


@dataclass
class NichtErfuellt:
    regel: Regel
    version_index: int
    begruendung: list[str]
    abstand: list[str]


@dataclass
class Bericht:
    kommune: Kommune
    stichtag: dt.date
    ergebnisse: list[Ergebnis]
    nicht_erfuellt: list[NichtErfuellt]
    regelbasis: Regelbasis
    gegenstaende_ohne_ergebnis: list[str] = field(default_factory=list)


_ART_ORDNUNG = {Art.pflicht: 0, Art.foerderung: 1, Art.hinweis: 2}
_VERB_ORDNUNG = {Verbindlichkeit.muss: 0, Verbindlichkeit.soll: 1, Verbindlichkeit.kann: 2, None: 3}
_GEGENSTAND_ORDNUNG = {g: i for i, g in enumerate(GEGENSTAENDE)}  # Reihenfolge der Definition in begriffe.py
_STATUS_ORDNUNG = {Status.gilt: 0, Status.unbestimmt: 1, Status.entfaellt: 2}


def _titel_von(regelbasis: Regelbasis):
    def titel(regel_id: str) -> str:
        regel = regelbasis.regel(regel_id)
        norm = regel.versionen[-1].zitat.norm
        return f"{regel.titel} ({norm})"

    return titel


def _kontext_zeilen(regel: Regel, version: Version, kommune: Kommune) -> list[str]:
    typen = ", ".join(KOMMUNALTYPEN[t].bezeichnung for t in regel.typen)
    bis = f" bis {version.gueltig_bis:%d.%m.%Y}" if version.gueltig_bis else ""
    return [
        f"Kommunaltyp: {KOMMUNALTYPEN[kommune.typ].bezeichnung} (Regel gilt für: {typen})",
        f"Fassung gültig ab {version.gueltig_ab:%d.%m.%Y}{bis}",
    ]


def erstelle_bericht(
    kommune: Kommune, stichtag: dt.date, regelbasis: Regelbasis, auswerter: Auswerter
) -> Bericht:
    """Bericht für eine Kommune; mit Spannen (``unsicherheit``) wird an allen Stützpunkten ausgewertet."""
    titel = _titel_von(regelbasis)
    varianten = bereiche.varianten(kommune, regelbasis)
    inferenzen = [auswerter.inferiere(v, stichtag) for v in varianten]
    punkt, punkt_inferenz = varianten[0], inferenzen[0]
    ergebnisse: list[Ergebnis] = []
    alle_ids = sorted({rid for inf in inferenzen for rid in inf.tatbestaende})
    for regel_id in alle_ids:
        zustaende = {_zustand(inf, regel_id) for inf in inferenzen}
        i = next(i for i, inf in enumerate(inferenzen) if regel_id in inf.tatbestaende)
        ergebnis = _ergebnis(regelbasis, regel_id, varianten[i], inferenzen[i], stichtag, titel)
        if len(zustaende) > 1:
            ergebnis.status = Status.unbestimmt
            ergebnis.begruendung = _unbestimmt_zeilen(kommune, ergebnis, varianten, inferenzen, regel_id, zustaende)
        elif kommune.unsicherheit is not None and _hat_zahlenschwelle(ergebnis.version.bedingung):
            ergebnis.begruendung.append(_spannen_zeile(kommune, gleich=True))
        ergebnisse.append(ergebnis)
    ergebnisse.sort(
        key=lambda e: (
            _GEGENSTAND_ORDNUNG.get(e.regel.gegenstand, len(_GEGENSTAND_ORDNUNG)),
            e.regel.gegenstand,
            _STATUS_ORDNUNG[e.status],
            _ART_ORDNUNG[e.regel.art],
            _VERB_ORDNUNG[e.regel.verbindlichkeit],
            e.regel.id,
        )
    )
    nicht_erfuellt = [n for n in _nicht_erfuellte(punkt, stichtag, regelbasis, punkt_inferenz, titel)
                      if n.regel.id not in alle_ids]
    gegenstaende = {r.gegenstand for r in regelbasis.fuer_land(kommune.land) if kommune.typ in konkrete_typen(r.typen)}
    ohne = sorted(gegenstaende - {e.regel.gegenstand for e in ergebnisse})
    return Bericht(kommune, stichtag, ergebnisse, nicht_erfuellt, regelbasis, ohne)


def _hat_zahlenschwelle(bedingung) -> bool:
    return any(lit.feld is not None and FELDER[lit.feld].art in ("zahl", "anteil")
               for konj in dnf(bedingung) for lit in konj) if bedingung is not None else False


def _zustand(inferenz: Inferenz, regel_id: str) -> str:
    if regel_id not in inferenz.tatbestaende:
        return "nicht"
    return "entfaellt" if inferenz.verdraengt.get(regel_id) else "gilt"


def _spannen_zeile(kommune: Kommune, gleich: bool) -> str:
    teile = []
    for feld in ("auslaendische_einwohner", "einwohner"):
        von, bis = kommune.spanne(feld)
        if von != bis:
            teile.append(f"{zahl(von)} bis {zahl(bis)} {FELDER[feld].bezeichnung}")
    spanne = " und ".join(teile) or "die angegebenen Zahlen"
    grund = kommune.unsicherheit.grund if kommune.unsicherheit else ""
    if gleich:
        return f"gilt in der ganzen Spanne ({spanne}; {grund})"
    return f"Spanne: {spanne} ({grund})"


def _unbestimmt_zeilen(kommune, ergebnis, varianten, inferenzen, regel_id, zustaende) -> list[str]:
    """Welche Schwelle die Spanne überdeckt und welche Zahl entscheidet."""
    version = ergebnis.version
    zeilen = []
    gesehen = set()
    for konj in dnf(version.bedingung) if version.bedingung is not None else []:
        for lit in konj:
            if lit.feld is None or FELDER[lit.feld].art not in ("zahl", "anteil") or (lit.feld, lit.op, str(lit.wert)) in gesehen:
                continue
            gesehen.add((lit.feld, lit.op, str(lit.wert)))
            werte = {vergleiche(istwert(v, lit.feld), lit.op,
                                prozentwert(lit.wert) if FELDER[lit.feld].art == "anteil" else lit.wert) for v in varianten}
            if len(werte) > 1:
                name = FELDER[lit.feld].bezeichnung
                zeilen.append(f"die Spanne überdeckt die Schwelle: {name} {OPERATOR_TEXT[lit.op]} "
                              f"{prozent(prozentwert(lit.wert)) if FELDER[lit.feld].art == 'anteil' else zahl(lit.wert)}")
    zeilen.append(_spannen_zeile(kommune, gleich=False))
    moeglich = sorted({"gilt" if z == "gilt" else "entfällt" if z == "entfaellt" else "gilt nicht" for z in zustaende})
    zeilen.append(f"je nach genauer Zahl: {' oder '.join(moeglich)}")
    zeilen.append("maßgeblich ist die Zahl der gemeldeten (ausländischen) Einwohner zum Stichtag der Norm; "
                  "mit der genauen Zahl der Kommune (Melderegister) lässt sich das entscheiden")
    return zeilen


def _ergebnis(regelbasis, regel_id, kommune, inferenz, stichtag, titel) -> Ergebnis:
    """Ein Ergebnis aus der Inferenz – mit Nachrechnung: widerspricht sie durable-rules, bricht es ab."""
    index = inferenz.tatbestaende[regel_id]
    regel = regelbasis.regel(regel_id)
    version = regel.versionen[index]
    if not (version.gilt_am(stichtag) and erfuellt(version.bedingung, kommune, inferenz)):
        raise EngineFehler(
            f"Interne Unstimmigkeit: durable-rules meldet „{regel_id}“ als erfüllt, die Nachrechnung nicht. "
            "Bitte melden Sie diesen Fehler mit dem Profil."
        )
    begruendung = begruende(version.bedingung, kommune, inferenz, titel) + _kontext_zeilen(regel, version, kommune)
    verdraengt = dict(inferenz.verdraengt.get(regel_id, []))
    pruefungen = []
    for ausnahme in sorted(regelbasis.ausnahmen_zu(regel_id), key=lambda r: r.id):
        treffer = ausnahme.version_am(stichtag)
        if treffer is None or kommune.typ not in konkrete_typen(ausnahme.typen):
            if ausnahme.id in verdraengt:
                raise EngineFehler(f"Interne Unstimmigkeit bei der Ausnahme „{ausnahme.id}“.")
            continue
        a_index, a_version = treffer
        greift = ausnahme.id in verdraengt
        if greift != erfuellt(a_version.bedingung, kommune, inferenz):
            raise EngineFehler(f"Interne Unstimmigkeit bei der Ausnahme „{ausnahme.id}“ (durable-rules ≠ Nachrechnung).")
        zeilen = begruende(a_version.bedingung, kommune, inferenz, titel, negiert=not greift)
        pruefungen.append(AusnahmePruefung(ausnahme.id, ausnahme.titel, greift, zeilen, a_version.zitat))
    status = Status.entfaellt if verdraengt else Status.gilt
    return Ergebnis(regel, index, status, begruendung, pruefungen, _foerderangaben(regel, version, kommune, stichtag))


def _foerderangaben(regel: Regel, version: Version, kommune: Kommune, stichtag: dt.date) -> Foerderangaben | None:
    if regel.foerderung is None:
        return None
    ende = version.gueltig_bis
    bald = ende if ende is not None and (ende - stichtag).days <= AUSLAUF_TAGE else None
    return Foerderangaben(berechne(regel.foerderung, kommune, stichtag),
                          naechste_frist(regel.foerderung, stichtag, version.gueltig_bis), bald)


def _nicht_erfuellte(kommune, stichtag, regelbasis, inferenz, titel) -> list[NichtErfuellt]:
    """Pflichten des Landes für diesen Typ, deren Tatbestand nicht erfüllt ist – mit Abstand zur Schwelle."""
    ergebnis = []
    for regel in sorted(regelbasis.fuer_land(kommune.land), key=lambda r: r.id):
        if regel.rolle != Rolle.regel or regel.art != Art.pflicht or regel.id in inferenz.tatbestaende:
            continue
        if kommune.typ not in konkrete_typen(regel.typen):
            continue
        treffer = regel.version_am(stichtag)
        if treffer is None:
            continue
        index, version = treffer
        zeilen = begruende(version.bedingung, kommune, inferenz, titel, negiert=True)
        ergebnis.append(NichtErfuellt(regel, index, zeilen, abstand(version.bedingung, kommune)))
    return ergebnis


__all__ = ["Bericht", "Ergebnis", "erstelle_bericht", "zahl"]
