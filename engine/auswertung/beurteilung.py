"""Aus den Inferenzen an allen Stützpunkten das Ergebnis je Regel ablesen – ehrlich über das, was nicht bekannt ist.

Die Struktur des Gesetzes entscheidet, was eine Unbekannte bewirkt:

* ein unbekanntes **Tatbestandsmerkmal** (steht in der Bedingung der Regel oder einer Regel, auf die sie sich bezieht)
  macht das Ergebnis ``unbestimmt``; die offene Frage nennt beide Ausgänge („wenn ja: gilt – wenn nein: gilt nicht“);
* ein unbekanntes Merkmal, das nur in einer **Ausnahme** steht, lässt die Regel gelten – mit sichtbarem Vorbehalt
  („gilt, sofern keine Integrations-Kommission gebildet ist“): die Regel gilt, bis die Ausnahme dargetan ist;
* eine **Zahlenspanne**, die eine Schwelle überdeckt, macht das Ergebnis ``unbestimmt``; die offene Frage nennt die
  Schwelle und die Option, mit der die eigene Zahl sie entscheidet.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from fractions import Fraction

from engine.auswertung.bedingungen import Inferenz, vergleiche
from engine.auswertung.varianten import Plan
from engine.begriffe import Status
from engine.felder import FELDER, MERKMALE, anteil
from engine.regeln.basis import Regelbasis
from engine.regeln.logik import dnf
from engine.regeln.modell import OPERATOR_TEXT, prozentwert
from engine.zahlen import prozent, zahl

NICHT = "nicht"  # Tatbestand nicht erfüllt
ZUSTAND_STATUS = {"gilt": "gilt", "entfaellt": "entfaellt", NICHT: "gilt_nicht"}


def zustand(inferenz: Inferenz, regel_id: str) -> str:
    if regel_id not in inferenz.tatbestaende:
        return NICHT
    return "entfaellt" if inferenz.verdraengt.get(regel_id) else "gilt"


@dataclass
class OffeneFrage:
    """Eine Unbekannte, von der das Ergebnis abhängt, mit beiden Ausgängen."""

    merkmal: str  # ein Merkmal oder ``auslaendische_einwohner``/``einwohner``/``auslaenderanteil``
    frage: str
    bedingung: str  # wann „ja“ gilt, z. B. „ja“, „mindestens 200“, „mehr als 1.000“
    wenn_ja: str  # gilt | gilt_nicht | entfaellt | unbestimmt
    wenn_nein: str
    option: str  # womit die Nutzerin die Frage beantwortet

    def text(self) -> str:
        return f"{self.frage} – wenn {self.bedingung}: {_AUSGANG[self.wenn_ja]}; sonst: {_AUSGANG[self.wenn_nein]}"


@dataclass
class Vorbehalt:
    """Eine Ausnahme, deren Voraussetzung unbekannt ist: die Regel gilt, sofern die Ausnahme nicht vorliegt."""

    merkmal: str
    frage: str
    ausnahme: str  # Regel-id der Ausnahme
    option: str


@dataclass
class Beurteilung:
    status: Status | None  # None: der Tatbestand ist an keinem Stützpunkt erfüllt
    vertreter: int  # Index eines Stützpunkts, an dem der Tatbestand erfüllt ist (für Begründung und Zitat)
    offen: list[OffeneFrage] = field(default_factory=list)
    vorbehalte: list[Vorbehalt] = field(default_factory=list)
    spanne: bool = False  # hängt (auch) von einer Zahlenspanne ab
    zustaende: frozenset[str] = frozenset()


_AUSGANG = {"gilt": "gilt", "gilt_nicht": "gilt nicht", "entfaellt": "entfällt", "unbestimmt": "offen"}


def _ausgang(zustaende: set[str]) -> str:
    """Ein eindeutiger Ausgang oder „unbestimmt“, wenn er noch von einer weiteren Unbekannten abhängt."""
    return ZUSTAND_STATUS[next(iter(zustaende))] if len(zustaende) == 1 else "unbestimmt"


def option_fuer(merkmal: str) -> str:
    if merkmal == "auslaendische_einwohner" or merkmal == "auslaenderanteil":
        return "--auslaendische-einwohner N"
    if merkmal == "einwohner":
        return "--einwohner N"
    feld = MERKMALE[merkmal]
    return f"--merkmal {merkmal}={'ja|nein' if feld.art == 'wahrheitswert' else 'N'}"


def beurteile(plan: Plan, inferenzen: list[Inferenz], regelbasis: Regelbasis, regel_id: str) -> Beurteilung:
    s = plan.struktur
    indizes = plan.fuer_regel(regel_id)
    liste = [zustand(inferenzen[i], regel_id) for i in indizes]
    erster = liste[0]
    if liste.count(erster) == len(liste):  # überall gleich – der häufige Fall, ohne weitere Analyse
        if erster == NICHT:
            return Beurteilung(None, -1)
        status = Status.gilt if erster == "gilt" else Status.entfaellt
        return Beurteilung(status, indizes[0], [], [], False, frozenset((erster,)))
    zustaende = dict(zip(indizes, liste))
    if all(z == NICHT for z in liste):
        return Beurteilung(None, -1)
    unbekannt = [m for m in plan.unbekannt if m in s.huelle.get(regel_id, ())]
    tatbestand = s.tatbestand.get(regel_id, frozenset())
    nur_ausnahme = [m for m in unbekannt if m not in tatbestand]
    # Vermutung je Ausnahme-Merkmal: der Wert, bei dem die Regel nicht entfällt (die Ausnahme liegt nicht vor)
    vermutung: dict[str, object] = {}
    vorbehalte = []
    varianten = plan.varianten
    for m in nur_ausnahme:
        je_wert: dict = {w: set() for w in s.werte[m]}  # ein Durchgang statt einer je Wert (NRW: 240 Stützpunkte)
        for i in indizes:
            menge = je_wert.get(varianten[i].werte.get(m))
            if menge is not None:
                menge.add(zustaende[i])
        ohne = [w for w, zs in je_wert.items() if "entfaellt" not in zs]
        vermutung[m] = ohne[0] if ohne else s.werte[m][0]
        if len({frozenset(zs) for zs in je_wert.values()}) > 1:
            ausnahme = _ausnahme_mit(regelbasis, regel_id, m, s)
            vorbehalte.append(Vorbehalt(m, MERKMALE[m].frage, ausnahme, option_fuer(m)))
    vermutet = tuple(vermutung.items())
    haupt = [i for i in indizes if all(varianten[i].werte.get(m) == w for m, w in vermutet)]
    haupt_zustaende = {zustaende[i] for i in haupt}
    vertreter = next((i for i in haupt if zustaende[i] != NICHT), next(i for i in indizes if zustaende[i] != NICHT))
    if len(haupt_zustaende) == 1:
        z = next(iter(haupt_zustaende))
        if z == NICHT:
            return Beurteilung(None, -1)
        status = Status.gilt if z == "gilt" else Status.entfaellt
        return Beurteilung(status, vertreter, [], vorbehalte if status == Status.gilt else [], False,
                           frozenset(haupt_zustaende))
    offen: list[OffeneFrage] = []
    for m in unbekannt:
        if m in vermutung:
            continue
        offen += _frage_merkmal(plan, zustaende, haupt, m, regelbasis, regel_id)
    spanne = _haengt_von_zahlen_ab(plan, zustaende, haupt)
    if spanne:
        offen += _fragen_zahlen(plan, zustaende, haupt, regelbasis, regel_id)
    return Beurteilung(Status.unbestimmt, vertreter, offen, vorbehalte, spanne, frozenset(haupt_zustaende))


ZAHLENABHAENGIG = "zahlenabhängig"


def beurteile_alle(plan: Plan, inferenzen: list[Inferenz], regelbasis: Regelbasis,
                   speicher: dict | None = None) -> dict[str, Beurteilung]:
    """Je Regel, deren Tatbestand an einem Stützpunkt erfüllt ist, die Beurteilung (nach id sortiert).

    Mit ``speicher`` einmal je **Klasse des Plans**: Stützpunkte mit gleichem kanonischem Fakt (``plan.klassen``, von
    durable-rules gesetzt) haben dieselben Inferenzen; bei gleichem Kommunaltyp und gleichen unbekannten Merkmalen liest
    ``beurteile`` dann überall dasselbe – außer bei offenen Fragen zu einer Zahlenspanne, die die Zahlen selbst mit
    Schwellen vergleichen (auch solchen anderer Fassungen): solche Pläne werden stets gerechnet. Ganz Deutschland hat
    so wenige Hundert Klassen statt 11.000 Pläne; durable-rules entscheidet weiterhin jede Klasse."""
    klassen = plan.klassen
    schluessel = None if speicher is None or klassen is None else ("urteil", plan.kommune.typ, plan.unbekannt, klassen)
    if schluessel is not None:
        treffer = speicher.get(schluessel)
        if treffer is ZAHLENABHAENGIG:  # dann zählt auch, auf welcher Seite jeder Schwelle die Zahlen liegen
            schluessel = (*schluessel, zahlenklassen(plan, regelbasis))
            treffer = speicher.get(schluessel)
        if treffer is not None:
            return treffer
    ids = sorted({rid for inf in inferenzen for rid in inf.tatbestaende})
    ergebnis = {rid: beurteile(plan, inferenzen, regelbasis, rid) for rid in ids}
    if schluessel is not None:
        if len(schluessel) == 4 and any(b.spanne for b in ergebnis.values()):
            speicher[schluessel] = ZAHLENABHAENGIG
            schluessel = (*schluessel, zahlenklassen(plan, regelbasis))
        speicher[schluessel] = ergebnis
    return ergebnis


def zahlenklassen(plan: Plan, regelbasis: Regelbasis) -> tuple:
    """Je Stützpunkt, auf welcher Seite jeder Schwelle seine Zahlen liegen, mit denen ``_fragen_zahlen`` vergleichen
    kann (alle Fassungen, Bezüge und Ausnahmen der Regeln des Landes): je sortierter Schwellenliste die Stellen
    ``bisect_left`` und ``bisect_right`` – sie legen für jede Schwelle „kleiner, gleich, größer“ fest. Je Zahlenpaar
    einmal gerechnet; die Stützpunkte sind jede Belegung an jedem Zahlenpaar."""
    a_t, e_t, p_t = zahlenschwellen(regelbasis, plan.kommune.land)
    je_punkt = []
    for e, a in plan.punkte:
        r = Fraction(100 * a, e)
        je_punkt.append((bisect_left(a_t, a), bisect_right(a_t, a), bisect_left(e_t, e), bisect_right(e_t, e),
                         bisect_left(p_t, r), bisect_right(p_t, r)))
    return tuple(je_punkt) * len(plan.belegungen)


def zahlenschwellen(regelbasis: Regelbasis, land: str) -> tuple[tuple, tuple, tuple]:
    """Die Schwellen auf ausländische Einwohner, Einwohner und Anteil, die ``_literale_auf`` für eine Regel des Landes
    liefern kann; je Land einmal."""
    cache = regelbasis.__dict__.setdefault("_zahlenschwellen", {})
    if land not in cache:
        werte: dict[str, set] = {"auslaendische_einwohner": set(), "einwohner": set(), "auslaenderanteil": set()}
        for regel in regelbasis.fuer_land(land):
            for feld, menge in werte.items():
                for lit in _literale_auf(regelbasis, regel.id, feld):
                    if lit.op in ("gt", "gte", "lt", "lte"):
                        menge.add(prozentwert(lit.wert) if FELDER[feld].art == "anteil" else lit.wert)
        cache[land] = tuple(tuple(sorted(werte[f])) for f in werte)
    return cache[land]


def _ausnahme_mit(regelbasis: Regelbasis, regel_id: str, merkmal: str, s) -> str:
    for ausnahme in regelbasis.ausnahmen_zu(regel_id):
        if merkmal in s.huelle.get(ausnahme.id, ()):
            return ausnahme.id
    return ""


def _literal_auf(regelbasis: Regelbasis, regel_id: str, feld: str, s, tiefe: int = 0):
    """Ein Vergleich auf ``feld`` in der Regel oder in einer Regel, auf die sie sich bezieht (für die Frage)."""
    if tiefe > 10 or regel_id not in regelbasis.regeln:
        return None
    regel = regelbasis.regel(regel_id)
    for v in reversed(regel.versionen):
        for konj in dnf(v.bedingung):
            for lit in konj:
                if lit.feld == feld:
                    return lit
                if lit.bezug is not None:
                    tiefer = _literal_auf(regelbasis, lit.bezug.regel, feld, s, tiefe + 1)
                    if tiefer is not None:
                        return tiefer
    for a in regelbasis.ausnahmen_zu(regel_id):
        tiefer = _literal_auf(regelbasis, a.id, feld, s, tiefe + 1)
        if tiefer is not None:
            return tiefer
    return None


def _frage_merkmal(plan: Plan, zustaende, haupt, m: str, regelbasis, regel_id) -> list[OffeneFrage]:
    feld = MERKMALE[m]
    varianten = plan.varianten
    ja: set[str] = set()
    nein: set[str] = set()
    if feld.art == "wahrheitswert":
        for i in haupt:
            wert = varianten[i].werte.get(m)
            if wert is True:
                ja.add(zustaende[i])
            elif wert is False:
                nein.add(zustaende[i])
        bedingung = "ja"
    else:
        lit = _literal_auf(regelbasis, regel_id, m, plan.struktur)
        if lit is None or lit.op not in ("gt", "gte", "lt", "lte", "eq", "ne"):
            return []
        for i in haupt:
            (ja if vergleiche(varianten[i].werte.get(m), lit.op, lit.wert) else nein).add(zustaende[i])
        bedingung = f"{OPERATOR_TEXT[lit.op]} {zahl(lit.wert)}"
    if ja == nein:
        return []  # für diese Regel ohne Belang
    return [OffeneFrage(m, feld.frage, bedingung, _ausgang(ja), _ausgang(nein), option_fuer(m))]


def _haengt_von_zahlen_ab(plan: Plan, zustaende, haupt) -> bool:
    je_belegung: dict[tuple, set[str]] = {}
    varianten = plan.varianten
    for i in haupt:
        je_belegung.setdefault(varianten[i].merkmale, set()).add(zustaende[i])
    return any(len(zs) > 1 for zs in je_belegung.values())


_ZAHL_FRAGE = {
    "auslaendische_einwohner": "Wie viele ausländische Einwohner hat die Kommune nach dem Melderegister "
                               "(zum Stichtag, den die Norm bestimmt)?",
    "einwohner": "Wie viele Einwohner hat die Kommune (zum Stichtag, den die Norm bestimmt)?",
    "auslaenderanteil": "Wie hoch ist der Ausländeranteil nach dem Melderegister (zum Stichtag, den die Norm bestimmt)?",
}


def _fragen_zahlen(plan: Plan, zustaende, haupt, regelbasis, regel_id) -> list[OffeneFrage]:
    """Je Zahlenschwelle der Regel, die die Spanne überdeckt: die Frage mit beiden Ausgängen."""
    fragen = []
    gesehen = set()
    for feld in ("auslaendische_einwohner", "einwohner", "auslaenderanteil"):
        for lit in _literale_auf(regelbasis, regel_id, feld):
            schluessel = (feld, lit.op, str(lit.wert))
            if schluessel in gesehen or lit.op not in ("gt", "gte", "lt", "lte"):
                continue
            gesehen.add(schluessel)
            schwelle = prozentwert(lit.wert) if FELDER[feld].art == "anteil" else lit.wert

            def wahr(i: int) -> bool:
                v = plan.varianten[i]
                wert = v.auslaender if feld == "auslaendische_einwohner" else v.einwohner if feld == "einwohner" \
                    else anteil(v.auslaender, v.einwohner)
                return vergleiche(wert, lit.op, schwelle)

            ja = {zustaende[i] for i in haupt if wahr(i)}
            nein = {zustaende[i] for i in haupt if not wahr(i)}
            if not ja or not nein or ja == nein:
                continue
            text = prozent(schwelle) if FELDER[feld].art == "anteil" else zahl(schwelle)
            fragen.append(OffeneFrage(feld, _ZAHL_FRAGE[feld], f"{OPERATOR_TEXT[lit.op]} {text}", _ausgang(ja),
                                      _ausgang(nein), option_fuer(feld)))
    return fragen


def _literale_auf(regelbasis: Regelbasis, regel_id: str, feld: str, tiefe: int = 0):
    if tiefe > 10 or regel_id not in regelbasis.regeln:
        return
    for v in regelbasis.regel(regel_id).versionen:
        for konj in dnf(v.bedingung):
            for lit in konj:
                if lit.feld == feld:
                    yield lit
                elif lit.bezug is not None:
                    yield from _literale_auf(regelbasis, lit.bezug.regel, feld, tiefe + 1)
    for a in regelbasis.ausnahmen_zu(regel_id):
        yield from _literale_auf(regelbasis, a.id, feld, tiefe + 1)


__all__ = ["Beurteilung", "OffeneFrage", "Vorbehalt", "beurteile", "beurteile_alle", "zustand", "zahlenklassen",
           "zahlenschwellen", "ZAHLENABHAENGIG"]
