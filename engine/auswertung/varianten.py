"""Was nicht bekannt ist, wird durchgespielt: Stützpunkte über Zahlenspannen und unbekannte Merkmale.

Eine Kommune mit geschätzten Zahlen (``unsicherheit``) oder unbekannten Merkmalen wird nicht an einem Punkt, sondern
an allen Stellen ausgewertet, an denen sich ein Ergebnis ändern kann (über durable-rules, wie jede Auswertung):

* Zahlen: die Stützpunkte aus ``bereiche.stuetzpunkte`` (Ecken, Schwellen, Schnittpunkte);
* unbekannte Merkmale: jeder Wert, den eine Regel des Landes unterscheidet (ja/nein; bei Anzahlen je Schwelle ein
  Vertreter). Merkmale, die nie gemeinsam in einer Regel samt ihren Ausnahmen und Bezügen vorkommen, sind unabhängig;
  sie werden getrennt durchgespielt (Summe statt Produkt der Kombinationen), die übrigen bleiben am Grundwert.

Die Beurteilung (``beurteilung.py``) liest aus den Ergebnissen je Regel ab, ob sie gilt, entfällt oder von einer
offenen Frage abhängt.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from engine.auswertung import bereiche
from engine.begriffe import konkrete_typen
from engine.felder import FELDER, MERKMALE
from engine.kommunen.profil import Kommune
from engine.regeln.basis import Regelbasis, regelbezuege
from engine.regeln.logik import dnf
from engine.regeln.modell import Regel

Wert = bool | int


@dataclass(frozen=True)
class Variante:
    """Ein Stützpunkt: Zahlen und die angenommenen Werte der unbekannten Merkmale (``komponente``: welche Gruppe von
    Merkmalen hier durchgespielt wird; -1 = alle am Grundwert)."""

    einwohner: int
    auslaender: int
    merkmale: tuple[tuple[str, Wert], ...]
    komponente: int = -1
    werte: dict | None = field(default=None, compare=False, repr=False)  # ``merkmale`` als dict (geteilt je Belegung)

    def __post_init__(self) -> None:
        if self.werte is None:
            object.__setattr__(self, "werte", dict(self.merkmale))

    def merkmal(self, name: str) -> Wert | None:
        return self.werte.get(name)

    def als_kommune(self, kommune: Kommune) -> Kommune:
        """Das Profil an diesem Stützpunkt (ohne Spanne; Merkmale vervollständigt). Ohne Validierung: die Werte
        stammen aus einem validierten Profil und aus den Wertelisten der Regeln."""
        merkmale = dict(kommune.merkmale)
        merkmale.update(self.merkmale)
        return kommune.ersetzt(einwohner=self.einwohner, auslaendische_einwohner=self.auslaender, unsicherheit=None,
                               merkmale=merkmale)


@dataclass
class Merkmalsstruktur:
    """Je Land und Kommunaltyp: welche Merkmale zählen, welche Werte sie unterscheiden, welche zusammenhängen."""

    werte: dict[str, tuple[Wert, ...]]  # Merkmal → Vertreter aller Werte, die eine Regel unterscheidet (Grundwert zuerst)
    huelle: dict[str, frozenset[str]]  # Regel → Merkmale ihrer Bedingungen, Ausnahmen und Bezüge
    tatbestand: dict[str, frozenset[str]]  # Regel → Merkmale ihres eigenen Tatbestands (mit Bezügen), ohne Ausnahmen
    gruppe: dict[str, int] = field(default_factory=dict)  # Merkmal → Nummer seiner Gruppe


def _merkmale_der_bedingungen(regel: Regel) -> set[str]:
    return {lit.feld for v in regel.versionen for konj in dnf(v.bedingung) for lit in konj
            if lit.feld is not None and lit.feld in MERKMALE}


def struktur(regelbasis: Regelbasis, land: str, typ: str) -> Merkmalsstruktur:
    cache = regelbasis.__dict__.setdefault("_merkmalsstruktur", {})
    if (land, typ) not in cache:
        cache[(land, typ)] = _baue_struktur(regelbasis, land, typ)
    return cache[(land, typ)]


def _baue_struktur(regelbasis: Regelbasis, land: str, typ: str) -> Merkmalsstruktur:
    regeln = {r.id: r for r in regelbasis.fuer_land(land) if typ in konkrete_typen(r.typen)}
    eigene = {rid: _merkmale_der_bedingungen(r) for rid, r in regeln.items()}
    ausnahmen: dict[str, list[str]] = {}
    for rid, r in regeln.items():
        for ziel in r.ausnahme_zu:
            ausnahmen.setdefault(ziel, []).append(rid)

    @lru_cache(maxsize=None)
    def voll(rid: str, tiefe: int = 0) -> frozenset[str]:
        if rid not in regeln or tiefe > 20:
            return frozenset()
        return tatbestand(rid, tiefe) | frozenset(m for a in ausnahmen.get(rid, []) for m in voll(a, tiefe + 1))

    @lru_cache(maxsize=None)
    def tatbestand(rid: str, tiefe: int = 0) -> frozenset[str]:
        if rid not in regeln or tiefe > 20:
            return frozenset()
        ergebnis = set(eigene[rid])
        for v in regeln[rid].versionen:
            for bezug in regelbezuege(v.bedingung):
                ergebnis |= voll(bezug.regel, tiefe + 1)
                if bezug.durch:
                    ergebnis |= voll(bezug.durch, tiefe + 1)
        for ziel in regeln[rid].ausnahme_zu:  # eine Ausnahme setzt den Tatbestand ihrer Zielregel voraus
            ergebnis |= tatbestand(ziel, tiefe + 1)
        return frozenset(ergebnis)

    huelle = {rid: voll(rid) for rid in regeln}
    werte: dict[str, tuple[Wert, ...]] = {}
    for name in sorted(set().union(*huelle.values()) if huelle else set()):
        if FELDER[name].art == "wahrheitswert":
            werte[name] = (False, True)
        else:
            grenzen = {0}
            for r in regeln.values():
                for v in r.versionen:
                    for konj in dnf(v.bedingung):
                        for lit in konj:
                            if lit.feld == name:
                                for w in (lit.wert if isinstance(lit.wert, list) else [lit.wert]):
                                    grenzen |= {w, w + 1}
            werte[name] = tuple(sorted(grenzen))
    # Gruppen: Merkmale, die in der Hülle einer Regel gemeinsam vorkommen, hängen zusammen (Union-Find)
    eltern = {m: m for m in werte}

    def wurzel(m: str) -> str:
        while eltern[m] != m:
            eltern[m] = eltern[eltern[m]]
            m = eltern[m]
        return m

    for menge in huelle.values():
        liste = sorted(menge)
        for a, b in zip(liste, liste[1:]):
            eltern[wurzel(a)] = wurzel(b)
    wurzeln = sorted({wurzel(m) for m in werte})
    gruppe = {m: wurzeln.index(wurzel(m)) for m in werte}
    return Merkmalsstruktur(werte, huelle, {rid: tatbestand(rid) for rid in regeln}, gruppe)


@dataclass
class Plan:
    """Alle Stützpunkte einer Kommune an einem Stichtag: jede Belegung der unbekannten Merkmale an jedem Zahlenpaar
    (``varianten``, in dieser Reihenfolge); ``varianten[0]`` ist der Punktwert mit Grundwerten."""

    kommune: Kommune
    punkte: list[tuple[int, int]]  # (Einwohner, ausländische Einwohner), der Punktwert zuerst
    belegungen: list[tuple]  # (Merkmale, Komponente, als dict), siehe ``_belegungen``
    unbekannt: tuple[str, ...]  # unbekannte Merkmale, nach denen eine Regel dieses Landes und Typs fragt
    struktur: Merkmalsstruktur
    # von der letzten Inferenz gesetzt: je Stützpunkt seine Klasse (Regelsatz, kanonischer Fakt), wenn der Auswerter sie
    # kennt (durable-rules); gleiche Klassen ⇒ gleiche Inferenzen (siehe beurteilung.beurteile_alle)
    klassen: tuple | None = None

    @cached_property
    def varianten(self) -> list[Variante]:
        """Erst bei Bedarf gebaut: eine Massenauswertung, deren Klassen schon beurteilt sind, braucht sie nicht."""
        return [Variante(e, a, merkmale, nummer, werte) for merkmale, nummer, werte in self.belegungen
                for e, a in self.punkte]

    def variante(self, i: int) -> Variante:
        """Der Stützpunkt ``i`` (wie ``varianten[i]``), ohne alle zu bauen: ein Bericht braucht nur wenige."""
        if "varianten" in self.__dict__:
            return self.__dict__["varianten"][i]
        merkmale, nummer, werte = self.belegungen[i // len(self.punkte)]
        e, a = self.punkte[i % len(self.punkte)]
        return Variante(e, a, merkmale, nummer, werte)

    def fuer_regel(self, regel_id: str) -> list[int]:
        """Indizes der Stützpunkte, die für diese Regel zählen: Grundwerte und die Gruppe ihrer Merkmale."""
        gruppen = frozenset(self.struktur.gruppe[m] for m in self.struktur.huelle.get(regel_id, ()) if m in self.unbekannt)
        cache = self.__dict__.setdefault("_je_gruppen", {})
        if gruppen not in cache:
            cache[gruppen] = [i for i, v in enumerate(self.varianten) if v.komponente == -1 or v.komponente in gruppen]
        return cache[gruppen]


def plane(kommune: Kommune, regelbasis: Regelbasis) -> Plan:
    s = struktur(regelbasis, kommune.land, kommune.typ)
    unbekannt = tuple(m for m in s.werte if kommune.merkmal(m) is None)
    punkte = bereiche.stuetzpunkte(kommune, regelbasis) if kommune.unsicherheit is not None else \
        [(kommune.einwohner, kommune.auslaendische_einwohner)]
    return Plan(kommune, punkte, _belegungen(regelbasis, kommune.land, kommune.typ, unbekannt), unbekannt, s)


def _belegungen(regelbasis: Regelbasis, land: str, typ: str, unbekannt: tuple[str, ...]) -> list[tuple]:
    """Die Belegungen der unbekannten Merkmale (Merkmale, Komponente, als dict): zuerst alle am Grundwert, dann je
    Gruppe jede weitere Kombination. Hängt nur von Land, Typ und den unbekannten Merkmalen ab; einmal gerechnet."""
    cache = regelbasis.__dict__.setdefault("_belegungen", {})
    schluessel = (land, typ, unbekannt)
    if schluessel not in cache:
        s = struktur(regelbasis, land, typ)
        grund = tuple((m, s.werte[m][0]) for m in unbekannt)
        ergebnis = [(grund, -1, dict(grund))]
        gruppen: dict[int, list[str]] = {}
        for m in unbekannt:
            gruppen.setdefault(s.gruppe[m], []).append(m)
        for nummer, namen in sorted(gruppen.items()):
            for kombination in itertools.product(*(s.werte[m] for m in namen)):
                belegung = dict(grund)
                belegung.update(zip(namen, kombination))
                if all(belegung[m] == s.werte[m][0] for m in namen):
                    continue  # die Grundbelegung steht schon in den Varianten mit komponente -1
                merkmale = tuple((m, belegung[m]) for m in unbekannt)
                ergebnis.append((merkmale, nummer, dict(merkmale)))
        cache[schluessel] = ergebnis
    return cache[schluessel]


__all__ = ["Plan", "Variante", "Merkmalsstruktur", "plane", "struktur"]
