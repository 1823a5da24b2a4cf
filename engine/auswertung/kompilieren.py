"""Übersetzung der geprüften Regeln in durable-rules-Regelsätze (JSON-Form), ein Regelsatz je Land und Zeitabschnitt.

**Form der Regelsätze** (Kapazität durch Konstruktion): Die Fassungen eines Landes zerlegen die Zeit in Abschnitte,
in denen sich keine Fassung ändert (``epochen``). Je Abschnitt gibt es einen Regelsatz, der nur die dann geltenden
Fassungen enthält – ohne Datumstests. So bekommt kein Alpha-Knoten Geschwister für jede Fassung, und ein Fakt
durchläuft nur die Regeln, die an seinem Stichtag gelten (durable-rules bricht ab 64 gleichzeitig passenden Knoten
mit Fehler 303 ab). Regelsätze werden erst bei der ersten Auswertung in ihrem Abschnitt gebildet und registriert.

Jede Regelfassung wird zu einer durable-Regel über dem Fakt ``{"t": "k", …}`` der Kommune; Kommunaltyp und
Bedingung werden Teil des Musters. Der Kommunaltyp wird nie als ``$or`` über Typen geprüft: Jedes ``$or`` legt in
durable-rules einen Weiterleitungsknoten an, den der geteilte Typknoten jeder Regel in eine Liste von höchstens 128
hängt (Fehler 107) und der bei jeder Auswertung auf den Stapel kommt (Fehler 303). Stattdessen bekommt der Fakt je
Typenmenge, die eine Regel nennt, ein Wahrheitswert-Attribut (``g0``, ``g1``, …), und das Muster prüft genau eines. Negationen werden zu den Blättern durchgereicht
(De Morgan, Gegenoperator), weil durable-rules kein allgemeines „nicht“ über Attributtests kennt.
Bezüge auf andere Regeln werden zu Verbund-Mustern über abgeleitete Fakten:

* ``{"t": "tb", "r": id}``: Tatbestand der Regel ``id`` erfüllt (von deren Aktion gesetzt),
* ``{"t": "ent", "r": id, "d": ausnahme}``: Regel ``id`` durch die Ausnahme verdrängt.

Anteile werden nie als Gleitkommazahl verglichen: für jede Anteilsschwelle p setzt der Faktenbau ein
Attribut mit dem exakten Vorzeichen von (Anteil − p) ∈ {−1, 0, 1}; verglichen wird dieses mit 0.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from engine.begriffe import Rolle, konkrete_typen
from engine.felder import FELDER
from engine.kommunen.profil import Kommune
from engine.regeln.basis import Regelbasis, regelbezuege
from engine.regeln.modell import GEGENTEIL, Alle, Bedingung, Eine, Nicht, Regel, RegelBezug, Vergleich, prozentwert

_NICHT_GANZZAHLIG = object()
DUR_OP = {"gt": "$gt", "gte": "$gte", "lt": "$lt", "lte": "$lte", "ne": "$neq"}
NIE = {"t": "_nie"}  # ein Test, den der Kommune-Fakt nie besteht


@dataclass
class Aktion:
    """Was eine durable-Regel beim Feuern protokolliert und als Fakt nachschiebt."""

    art: str  # "tb" (Tatbestand) oder "ent" (verdrängt)
    regel: str  # bei "tb": die Regel; bei "ent": die verdrängte Regel
    version: int
    ausnahme: str | None = None
    nachschieben: bool = False  # nur Fakten, auf die eine andere Regel wartet, werden nachgeschoben

    def fakt(self) -> dict:
        if self.art == "tb":
            return {"t": "tb", "r": self.regel}
        return {"t": "ent", "r": self.regel, "d": self.ausnahme}


@dataclass
class KompilierterRegelsatz:
    land: str
    name: str
    regeln: dict[str, tuple[dict, Aktion]] = field(default_factory=dict)  # durable-Name → (Definition ohne run, Aktion)
    anteilsschwellen: dict[tuple[str, Fraction], str] = field(default_factory=dict)  # (feld, p) → Attributname
    # Grenzen je ganzzahligem Attribut: zwischen zwei Grenzen ist jeder Vergleich im Regelsatz konstant
    grenzen: dict[str, set[int]] = field(default_factory=dict)
    typgruppen: dict[tuple[str, ...], str] = field(default_factory=dict)  # konkrete Typen → Attributname

    def kanonisch(self, fakt: dict) -> dict:
        """Der Fakt mit jedem Zahlenwert auf den Anfang seines Intervalls gesetzt.

        Alle Fakten mit gleicher kanonischer Form werden von jeder Regel des Regelsatzes gleich beurteilt; so kann
        eine Massenauswertung das Ergebnis von durable-rules für gleichwertige Kommunen wiederverwenden.
        """
        ergebnis = dict(fakt)
        for attribut, grenzen in self._sortiert():
            wert = fakt.get(attribut)
            if grenzen is None:
                ergebnis[attribut] = -1  # kein Vergleich im Regelsatz nutzt dieses Attribut
            elif wert is not None:
                i = bisect.bisect_right(grenzen, wert)
                ergebnis[attribut] = grenzen[i - 1] if i else -1
        return ergebnis

    def schluessel(self, fakt: dict) -> tuple:
        """Der kanonische Fakt als Tupel (dieselbe Äquivalenz wie ``kanonisch``; Fakten eines Regelsatzes haben
        dieselben Attribute in derselben Reihenfolge, siehe ``kommune_fakt``)."""
        werte = dict(fakt)
        for attribut, grenzen in self._sortiert():
            if grenzen is None:
                werte[attribut] = -1
            else:
                i = bisect.bisect_right(grenzen, werte[attribut])
                werte[attribut] = grenzen[i - 1] if i else -1
        return tuple(werte.values())

    def klassen(self, kommune: Kommune, varianten: list) -> list[tuple]:
        """``schluessel(kommune_fakt(kommune, self, v))`` für alle Stützpunkte ``v`` – ohne je Stützpunkt einen Fakt zu
        bauen (siehe ``klassenteile``)."""
        belegungen = list(dict.fromkeys(v.merkmale for v in varianten))
        punkte = list(dict.fromkeys((v.einwohner, v.auslaender) for v in varianten))
        teile = self.klassenteile(kommune, belegungen, punkte)
        if teile is None:
            return [self.schluessel(kommune_fakt(kommune, self, v)) for v in varianten]  # pragma: no cover - andere Form
        vorne, hinten = dict(zip(belegungen, teile[0])), dict(zip(punkte, teile[1]))
        return [vorne[v.merkmale] + hinten[(v.einwohner, v.auslaender)] for v in varianten]

    def klassenteile(self, kommune: Kommune, belegungen: list, punkte: list) -> tuple[list, list] | None:
        """Der Schlüssel eines Stützpunkts besteht aus dem Teil der Merkmale (``t``, ``m_…``, ``g…``; je Belegung der
        unbekannten Merkmale) und dem Teil der Zahlen (Einwohner, ausländische Einwohner, Anteilsvorzeichen; je
        Zahlenpaar), in dieser Reihenfolge (siehe ``kommune_fakt``): beide Teile, je einmal gerechnet. ``None``, wenn
        die Fakten eine andere Form haben."""
        vorne = self._merkmalsteile(kommune, belegungen)
        if vorne is None:
            return None  # pragma: no cover - andere Form
        e_grenzen, a_grenzen, schwellen = self._zahlengrenzen()
        rechts_von = bisect.bisect_right
        hinten = []
        for e, a in punkte:
            ke = -1 if e_grenzen is None else e_grenzen[i - 1] if (i := rechts_von(e_grenzen, e)) else -1
            ka = -1 if a_grenzen is None else a_grenzen[j - 1] if (j := rechts_von(a_grenzen, a)) else -1
            teile = [ke, ka]
            for zaehler, nenner in schwellen:
                links, rechts = 100 * a * nenner, zaehler * e
                teile.append((links > rechts) - (links < rechts))
            hinten.append(tuple(teile))
        return vorne, hinten

    def _merkmalsteile(self, kommune: Kommune, belegungen: list) -> list | None:
        """Der Teil der Merkmale je Belegung; er hängt nur vom Typ, den Merkmalen der Kommune (so liest sie
        ``kommune_fakt``) und den Belegungen ab und wird je solcher Angabe einmal gerechnet."""
        merkmale = kommune.merkmale
        schluessel = (kommune.typ, tuple(map(merkmale.get, _MERKMAL_NAMEN)), tuple(belegungen))
        cache = self.__dict__.setdefault("_merkmalsteile_je", {})
        if schluessel in cache:
            return cache[schluessel]
        grund = kommune_fakt(kommune, self)
        attribute = list(grund)
        if attribute[-2 - len(self.anteilsschwellen):len(attribute) - len(self.anteilsschwellen)] != \
                ["einwohner", "auslaendische_einwohner"] or any(
                    (FELDER[f].zaehler, FELDER[f].nenner) != ("auslaendische_einwohner", "einwohner")
                    for f, _ in self.anteilsschwellen):
            cache[schluessel] = None  # pragma: no cover - andere Form
            return None  # pragma: no cover
        grenzen = dict(self._sortiert())
        vorne_grund = self.schluessel(grund)[:len(attribute) - 2 - len(self.anteilsschwellen)]
        stelle = {a: i for i, a in enumerate(attribute)}

        def kanonisch(attribut: str, wert: int) -> int:
            g = grenzen.get(attribut, _NICHT_GANZZAHLIG)
            if g is _NICHT_GANZZAHLIG:
                return wert  # Wahrheitswert: bleibt, wie er ist
            if g is None:
                return -1
            i = bisect.bisect_right(g, wert)
            return g[i - 1] if i else -1

        vorne = []
        for belegung in belegungen:
            liste = list(vorne_grund)
            for name, wert in belegung:
                liste[stelle["m_" + name]] = kanonisch("m_" + name, wert)
            vorne.append(tuple(liste))
        if len(cache) > 4096:
            cache.clear()
        cache[schluessel] = vorne
        return vorne

    def _zahlengrenzen(self) -> tuple:
        """Einmal je Regelsatz: Grenzen auf Einwohner und ausländische Einwohner, Anteilsschwellen als Brüche."""
        if not hasattr(self, "_zahlengrenzen_cache"):
            g = dict(self._sortiert())
            self._zahlengrenzen_cache = (g["einwohner"], g["auslaendische_einwohner"],
                                         [(p.numerator, p.denominator) for _, p in self.anteilsschwellen])
        return self._zahlengrenzen_cache

    def _sortiert(self) -> list[tuple[str, list[int] | None]]:
        """Einmal je Regelsatz: ganzzahlige Attribute mit ihren sortierten Grenzen (``None`` = ungenutzt)."""
        if not hasattr(self, "_sortiert_cache"):
            ganzzahlig = ["einwohner", "auslaendische_einwohner"] + [
                "m_" + n for n, f in FELDER.items() if f.merkmal and f.art == "zahl"]
            self._sortiert_cache = [(a, sorted(self.grenzen[a]) if a in self.grenzen else None) for a in ganzzahlig]
        return self._sortiert_cache

    def anzahl_regeln(self) -> int:
        return len(self.regeln)


def fakt_attribut(feld_name: str) -> str:
    return ("m_" + feld_name) if FELDER[feld_name].merkmal else feld_name


class _Uebersetzer:
    def __init__(self, satz: KompilierterRegelsatz):
        self.satz = satz

    def typgruppe(self, typen) -> str:
        schluessel = tuple(konkrete_typen(list(typen)))
        if schluessel not in self.satz.typgruppen:
            self.satz.typgruppen[schluessel] = f"g{len(self.satz.typgruppen)}"
        return self.satz.typgruppen[schluessel]

    def anteil_attribut(self, feld: str, p: Fraction) -> str:
        schluessel = (feld, p)
        if schluessel not in self.satz.anteilsschwellen:
            self.satz.anteilsschwellen[schluessel] = f"q{len(self.satz.anteilsschwellen)}"
        return self.satz.anteilsschwellen[schluessel]

    def _grenze(self, attribut: str, op: str, wert) -> None:
        """Wo sich der Wahrheitswert des Vergleichs ändern kann (erster Wert des neuen Intervalls)."""
        werte = wert if isinstance(wert, list) else [wert]
        ziel = self.satz.grenzen.setdefault(attribut, set())
        for w in werte:
            ziel.update({w, w + 1})

    def muster(self, b: Bedingung | None, negiert: bool = False) -> dict | None:
        """durable-Muster für den Kommune-Fakt; ``None`` heißt „keine Einschränkung“."""
        if b is None:
            return NIE if negiert else None
        if isinstance(b, Nicht):
            return self.muster(b.nicht, not negiert)
        if isinstance(b, (Alle, Eine)):
            teile = list(b.alle if isinstance(b, Alle) else b.eine)
            und = isinstance(b, Alle) != negiert
            muster = [self.muster(t, negiert) for t in teile]
            if und:
                muster = [m for m in muster if m is not None]
                if not muster:
                    return None if not (isinstance(b, Eine) and negiert and not teile) else NIE
                return muster[0] if len(muster) == 1 else {"$and": muster}
            if any(m is None for m in muster):
                return None  # ein Zweig ist immer wahr
            if not muster:
                return NIE
            return muster[0] if len(muster) == 1 else {"$or": muster}
        if isinstance(b, Vergleich):
            return self.vergleich(b, negiert)
        if isinstance(b, RegelBezug) and not negiert:
            return None  # wird als Verbund-Muster über abgeleitete Fakten übersetzt (siehe kompiliere_land)
        raise TypeError(f"Regelbezug unter Negation ist nicht übersetzbar: {b}")

    def vergleich(self, v: Vergleich, negiert: bool) -> dict:
        feld = FELDER[v.feld]
        op = v.op
        if feld.art == "anteil":
            attribut = self.anteil_attribut(v.feld, prozentwert(v.wert))
            op = GEGENTEIL[op] if negiert else op
            return {DUR_OP[op]: {attribut: 0}}
        if v.feld == "typ":
            werte = v.wert if isinstance(v.wert, list) else [v.wert]
            positiv = op in ("eq", "in")
            return {self.typgruppe(werte): positiv != negiert}
        attribut = fakt_attribut(v.feld)
        if feld.art == "zahl":
            self._grenze(attribut, op, v.wert)
        if op == "in":
            if negiert:
                return _und([{"$neq": {attribut: w}} for w in v.wert])
            return _oder([{attribut: w} for w in v.wert])
        if negiert:
            op = GEGENTEIL[op]
        if feld.art == "wahrheitswert":
            # strikt boolesch: „ne true“ ist „eq false“
            wert = v.wert if op == "eq" else not v.wert
            return {attribut: wert}
        if op == "eq":
            return {attribut: v.wert}
        return {DUR_OP[op]: {attribut: v.wert}}


def _und(teile: list[dict]) -> dict:
    return teile[0] if len(teile) == 1 else {"$and": teile}


def _oder(teile: list[dict]) -> dict:
    return teile[0] if len(teile) == 1 else {"$or": teile}


def _kommune_muster(regel: Regel, index: int, uebersetzer: _Uebersetzer) -> dict:
    version = regel.versionen[index]
    tests: list[dict] = [{"t": "k"}, {uebersetzer.typgruppe(regel.typen): True}]
    bedingung = uebersetzer.muster(version.bedingung)
    if bedingung is not None:
        tests.append(bedingung)
    return {"$and": tests}


def _bezug_muster(bezug: RegelBezug) -> dict:
    if bezug.zustand == "erfuellt":
        return {"$and": [{"t": "tb"}, {"r": bezug.regel}]}
    tests = [{"t": "ent"}, {"r": bezug.regel}]
    if bezug.durch:
        tests.append({"d": bezug.durch})
    return {"$and": tests}


def epochen(regelbasis: Regelbasis, land: str) -> list[dt.date]:
    """Anfänge der Zeitabschnitte, in denen sich keine Fassung des Landes (und des Bundes) ändert."""
    cache = regelbasis.__dict__.setdefault("_epochen", {})
    if land not in cache:
        grenzen = {dt.date.min}
        for regel in regelbasis.fuer_land(land):
            for v in regel.versionen:
                grenzen.add(v.gueltig_ab)
                if v.gueltig_bis is not None and v.gueltig_bis < dt.date.max:
                    grenzen.add(v.gueltig_bis + dt.timedelta(days=1))
        cache[land] = sorted(grenzen)
    return cache[land]


def epoche(regelbasis: Regelbasis, land: str, stichtag: dt.date) -> int:
    """Nummer des Zeitabschnitts, in dem der Stichtag liegt."""
    return bisect.bisect_right(epochen(regelbasis, land), stichtag) - 1


def kompiliere_land(regelbasis: Regelbasis, land: str, stichtag: dt.date) -> KompilierterRegelsatz:
    """Der Regelsatz des Landes für den Zeitabschnitt, in dem ``stichtag`` liegt (nur die dann geltenden Fassungen)."""
    nummer = epoche(regelbasis, land, stichtag)
    beginn = epochen(regelbasis, land)[nummer]
    satz = KompilierterRegelsatz(land, f"kp_{land.lower()}_{regelbasis.fingerabdruck}_{nummer}")
    uebersetzer = _Uebersetzer(satz)
    regeln = regelbasis.fuer_land(land)
    # Welche abgeleiteten Fakten erwartet irgendeine Regel? Nur diese werden als Fakt nachgeschoben.
    gebraucht_tb = {ziel for r in regeln for ziel in r.ausnahme_zu}
    gebraucht_ent: set[str] = set()
    for r in regeln:
        for v in r.versionen:
            for b in regelbezuege(v.bedingung):
                (gebraucht_tb if b.zustand == "erfuellt" else gebraucht_ent).add(b.regel)
    satz.regeln["_anfang"] = ({"all": [{"m": {"t": "_anfang"}}]}, Aktion("anfang", "", -1))
    for regel in sorted(regeln, key=lambda r: r.id):
        treffer = regel.version_am(beginn)
        if treffer is None:
            continue
        index, version = treffer
        muster = [{"k": _kommune_muster(regel, index, uebersetzer)}]
        muster += [{f"b{i}": _bezug_muster(b)} for i, b in enumerate(regelbezuege(version.bedingung))]
        if regel.rolle == Rolle.regel:
            satz.regeln[f"{regel.id}#{index}"] = (
                {"all": muster}, Aktion("tb", regel.id, index, nachschieben=regel.id in gebraucht_tb))
        else:
            for ziel in regel.ausnahme_zu:
                ziel_muster = {"z": {"$and": [{"t": "tb"}, {"r": ziel}]}}
                satz.regeln[f"{regel.id}#{index}>{ziel}"] = (
                    {"all": muster + [ziel_muster]},
                    Aktion("ent", ziel, index, ausnahme=regel.id, nachschieben=ziel in gebraucht_ent),
                )
    return satz


# Füllwert im Fakt für Merkmale, nach denen keine Regel des Landes und Typs fragt (nie eine Annahme: gefragte
# unbekannte Merkmale belegt die Variante ausdrücklich, siehe varianten.py)
_MERKMAL_ATTRIBUTE = tuple((name, "m_" + name, False if feld.art == "wahrheitswert" else 0)
                           for name, feld in FELDER.items() if feld.merkmal)
_MERKMAL_NAMEN = tuple(name for name, _, _ in _MERKMAL_ATTRIBUTE)


def kommune_fakt(kommune: Kommune, satz: KompilierterRegelsatz, variante=None) -> dict:
    """Der Fakt der Kommune: nur ganze Zahlen, Wahrheitswerte und feste Kürzel.

    ``variante`` (ein Stützpunkt, siehe ``varianten.Variante``) ersetzt Zahlen und unbekannte Merkmale, ohne ein
    Profil zu kopieren. Der von Zahlen unabhängige Teil wird je Kommune und Regelsatz einmal gebaut.
    """
    schluessel = (id(kommune), satz.name)
    grund = _GRUND_CACHE.get(schluessel)
    if grund is None or grund[0] is not kommune:
        fakt: dict = {"t": "k"}
        merkmale = kommune.merkmale
        for name, attribut, fuellwert in _MERKMAL_ATTRIBUTE:
            wert = merkmale.get(name)
            fakt[attribut] = fuellwert if wert is None else wert
        for typen, attribut in satz.typgruppen.items():
            fakt[attribut] = kommune.typ in typen
        if len(_GRUND_CACHE) > 64:
            _GRUND_CACHE.clear()
        grund = _GRUND_CACHE[schluessel] = (kommune, fakt)
    fakt = dict(grund[1])
    if variante is None:
        e, a = kommune.einwohner, kommune.auslaendische_einwohner
    else:
        e, a = variante.einwohner, variante.auslaender
        for name, wert in variante.merkmale:
            fakt["m_" + name] = wert
    fakt["einwohner"] = e
    fakt["auslaendische_einwohner"] = a
    for (feld_name, p), attribut in satz.anteilsschwellen.items():
        # Anteil z/n gegen p (vom Hundert), exakt in ganzen Zahlen: 100·z·Nenner(p) gegen Zähler(p)·n
        feld = FELDER[feld_name]
        z, n = fakt[fakt_attribut(feld.zaehler)], fakt[fakt_attribut(feld.nenner)]
        links, rechts = 100 * z * p.denominator, p.numerator * n
        fakt[attribut] = (links > rechts) - (links < rechts)
    return fakt


# Je Kommune (Identität) und Regelsatz der von den Zahlen unabhängige Teil des Fakts; klein gehalten
_GRUND_CACHE: dict[tuple[int, str], tuple[Kommune, dict]] = {}


__all__ = ["Aktion", "KompilierterRegelsatz", "kompiliere_land", "kommune_fakt", "epochen", "epoche"]
