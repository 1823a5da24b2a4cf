"""Untergrenze der Massenauswertung: alle Regeln über alle Kommunen, dreiwertig und vektorisiert (numpy) – ein Prototyp.

    python bench/untergrenze.py [--stichtag 2025-06-01]

Kein Teil des Produkts, und ohne durable-rules: Jede Bedingung wird über den **Spannen** jeder Kommune ausgewertet
(Einwohner und ausländische Einwohner als Intervalle, unbekannte Merkmale als „beides möglich“), als Paar boolescher
Felder „kann“ (an irgendeiner Stelle der Spanne erfüllt) und „muss“ (an jeder). Daraus folgt der Status je Regel
(gilt, entfällt, unbestimmt) für alle Kommunen eines Landes auf einmal. Gedruckt: die Zeit, und wie viele Zeilen
(AGS, Regel) denselben Status haben wie ``batch`` – die Abweichungen zeigen, was die Stützpunkte der echten Auswertung
genauer wissen als die Intervall-Logik (z. B. Bedingungen, die sich gegenseitig ausschließen).

``bench/batch.py`` druckt diese Zeit neben der Massenauswertung: so weit ließe sich ``batch`` beschleunigen, wenn
durable-rules nicht jede Klasse einzeln entscheiden müsste.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

WURZEL = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(WURZEL))

from engine.begriffe import Rolle, konkrete_typen  # noqa: E402
from engine.felder import FELDER, MERKMALE  # noqa: E402
from engine.regeln.modell import Alle, Eine, Nicht, RegelBezug, Vergleich, prozentwert  # noqa: E402


class Land:
    """Die Kommunen eines Landes als Felder: Spannen, Typ, bekannte Merkmale."""

    def __init__(self, profile: list):
        self.profile = profile
        spannen = [(*k.spanne("einwohner"), *k.spanne("auslaendische_einwohner")) for k in profile]
        werte = np.array(spannen, dtype=np.int64).reshape(-1, 4)
        self.e_lo, self.e_hi, self.a_lo, self.a_hi = (werte[:, i] for i in range(4))
        self.typ = np.array([k.typ for k in profile])
        self.bekannt = {m: np.array([k.merkmale.get(m) is not None for k in profile]) for m in MERKMALE}
        self.wert = {m: np.array([int(k.merkmale.get(m) or 0) for k in profile], dtype=np.int64) for m in MERKMALE}


def _zahl(lo, hi, op: str, w):
    """(kann, muss) für „x OP w“ mit x im Intervall [lo, hi]."""
    if op == "gt":
        return hi > w, lo > w
    if op == "gte":
        return hi >= w, lo >= w
    if op == "lt":
        return lo < w, hi < w
    if op == "lte":
        return lo <= w, hi <= w
    gleich_kann, gleich_muss = (lo <= w) & (w <= hi), (lo == w) & (hi == w)
    if op == "eq":
        return gleich_kann, gleich_muss
    if op == "ne":
        return ~gleich_muss, ~gleich_kann
    raise ValueError(op)


class Auswertung:
    """Dreiwertige Auswertung aller Regeln eines Landes an einem Stichtag."""

    def __init__(self, regelbasis, land_code: str, land: Land, stichtag: dt.date):
        self.regelbasis, self.land, self.stichtag = regelbasis, land, stichtag
        self.regeln = {r.id: r for r in regelbasis.fuer_land(land_code)}
        self.ausnahmen: dict[str, list] = defaultdict(list)
        for r in self.regeln.values():
            for ziel in r.ausnahme_zu:
                self.ausnahmen[ziel].append(r)
        self._tb: dict[str, tuple] = {}
        self._ent: dict[tuple[str, str | None], tuple] = {}
        self.alle = np.ones(len(land.profile), dtype=bool)
        self.keine = ~self.alle

    def _typ(self, regel):
        return np.isin(self.land.typ, konkrete_typen(regel.typen))

    def bedingung(self, b, ohne: frozenset = frozenset()):
        """(kann, muss); Merkmale in ``ohne`` gelten, wo unbekannt, als nicht erfüllt (Vermutung bei Ausnahmen)."""
        if b is None:
            return self.alle, self.alle
        if isinstance(b, Alle):
            kann, muss = self.alle, self.alle
            for t in b.alle:
                k, m = self.bedingung(t, ohne)
                kann, muss = kann & k, muss & m
            return kann, muss
        if isinstance(b, Eine):
            kann, muss = self.keine, self.keine
            for t in b.eine:
                k, m = self.bedingung(t, ohne)
                kann, muss = kann | k, muss | m
            return kann, muss
        if isinstance(b, Nicht):
            k, m = self.bedingung(b.nicht, ohne)
            return ~m, ~k
        if isinstance(b, RegelBezug):
            return self.tatbestand(b.regel) if b.zustand == "erfuellt" else self.verdraengt(b.regel, b.durch)
        return self.vergleich(b, ohne)

    def vergleich(self, v: Vergleich, ohne: frozenset):
        L = self.land
        feld = FELDER[v.feld]
        if v.feld == "typ":
            werte = v.wert if isinstance(v.wert, list) else [v.wert]
            treffer = np.isin(L.typ, konkrete_typen(werte))
            treffer = treffer if v.op in ("eq", "in") else ~treffer
            return treffer, treffer
        if feld.art == "anteil":  # 100·a/e OP p, a ≤ e: kleinster Anteil a_lo/e_hi, größter min(a_hi, e_lo)/e_lo
            p = prozentwert(v.wert)
            z, n = p.numerator, p.denominator
            klein = np.sign(100 * L.a_lo * n - z * L.e_hi)
            gross = np.sign(100 * np.minimum(L.a_hi, L.e_lo) * n - z * L.e_lo)
            return _zahl(klein, gross, v.op, 0)
        if v.feld in ("einwohner", "auslaendische_einwohner"):
            lo, hi = (L.e_lo, L.e_hi) if v.feld == "einwohner" else (L.a_lo, L.a_hi)
            if v.op == "in":
                kann, muss = self.keine, self.keine
                for w in v.wert:
                    k, m = _zahl(lo, hi, "eq", w)
                    kann, muss = kann | k, muss | m
                return kann, muss
            return _zahl(lo, hi, v.op, v.wert)
        bekannt, wert = L.bekannt[v.feld], L.wert[v.feld]
        if v.op == "in":
            treffer = np.isin(wert, [int(w) for w in v.wert])
        else:
            treffer = _zahl(wert, wert, v.op, int(v.wert))[1]
        if v.feld in ohne:  # vermutet: die Ausnahme liegt nicht vor
            unbekannt_wert = self.keine
        else:
            unbekannt_wert = self.alle
        return np.where(bekannt, treffer, unbekannt_wert), np.where(bekannt, treffer, False)

    def _version(self, regel):
        treffer = regel.version_am(self.stichtag)
        return treffer[1] if treffer is not None else None

    def tatbestand(self, regel_id: str):
        if regel_id not in self._tb:
            regel = self.regeln.get(regel_id)
            version = self._version(regel) if regel is not None else None
            if version is None:
                self._tb[regel_id] = (self.keine, self.keine)
            else:
                typ = self._typ(regel)
                kann, muss = self.bedingung(version.bedingung)
                self._tb[regel_id] = (kann & typ, muss & typ)
        return self._tb[regel_id]

    def verdraengt(self, regel_id: str, durch: str | None = None, ohne: frozenset = frozenset()):
        schluessel = (regel_id, durch, ohne)
        if schluessel not in self._ent:
            t_kann, t_muss = self.tatbestand(regel_id)
            kann, muss = self.keine, self.keine
            for a in self.ausnahmen.get(regel_id, []):
                version = self._version(a)
                if version is None or (durch is not None and a.id != durch):
                    continue
                typ = self._typ(a)
                k, m = self.bedingung(version.bedingung, ohne)
                kann, muss = kann | (k & typ), muss | (m & typ)
            self._ent[schluessel] = (t_kann & kann, t_muss & muss)
        return self._ent[schluessel]

    def status(self, regel) -> np.ndarray:
        """Je Kommune 0 = keine Zeile, 1 = gilt, 2 = entfällt, 3 = unbestimmt."""
        t_kann, t_muss = self.tatbestand(regel.id)
        e_kann, e_muss = self.verdraengt(regel.id)
        nur_ausnahme = frozenset(MERKMALE) - _merkmale_im_tatbestand(self, regel.id)
        v_kann, _ = self.verdraengt(regel.id, None, nur_ausnahme)
        ergebnis = np.zeros(len(self.land.profile), dtype=np.int8)
        sicher = t_muss & ~e_kann
        ergebnis[t_kann] = 3
        ergebnis[sicher | (t_muss & ~v_kann & ~e_muss)] = 1
        ergebnis[t_muss & e_muss] = 2
        return ergebnis


def _merkmale_im_tatbestand(auswertung: Auswertung, regel_id: str, tiefe: int = 0) -> frozenset:
    regel = auswertung.regeln.get(regel_id)
    if regel is None or tiefe > 20:
        return frozenset()
    namen = set()
    for v in regel.versionen:
        stapel = [v.bedingung]
        while stapel:
            b = stapel.pop()
            if isinstance(b, Vergleich) and b.feld in MERKMALE:
                namen.add(b.feld)
            elif isinstance(b, (Alle, Eine)):
                stapel += list(b.alle if isinstance(b, Alle) else b.eine)
            elif isinstance(b, Nicht):
                stapel.append(b.nicht)
            elif isinstance(b, RegelBezug):
                namen |= _merkmale_im_tatbestand(auswertung, b.regel, tiefe + 1)
    return frozenset(namen)


STATUS = {1: "gilt", 2: "entfaellt", 3: "unbestimmt"}


def bereite_vor(profile: list) -> dict[str, Land]:
    je_land: dict[str, list] = defaultdict(list)
    for k in profile:
        je_land[k.land].append(k)
    return {code: Land(liste) for code, liste in je_land.items()}


def werte_aus(regelbasis, laender: dict[str, Land], stichtag: dt.date) -> list[tuple[Land, str, np.ndarray]]:
    """Je Land und Regel (Rolle „regel“) das Feld der Status aller Kommunen des Landes."""
    ergebnis = []
    for code, land in laender.items():
        auswertung = Auswertung(regelbasis, code, land, stichtag)
        for regel in auswertung.regeln.values():
            if regel.rolle == Rolle.regel:
                ergebnis.append((land, regel.id, auswertung.status(regel)))
    return ergebnis


def als_zeilen(felder: list[tuple[Land, str, np.ndarray]]) -> dict[tuple[str, str], str]:
    """(AGS, Regel-id) → Status, für jede Zeile, die ``batch`` schreiben würde."""
    return {(land.profile[i].ags, rid): STATUS[int(status[i])] for land, rid, status in felder
            for i in np.nonzero(status)[0]}


def vergleiche_mit(ergebnis: dict, erwartet: dict) -> tuple[int, int, list]:
    """(gleich, Zeilen insgesamt, Beispiele der Abweichungen)."""
    schluessel = set(ergebnis) | set(erwartet)
    abweichend = sorted(k for k in schluessel if ergebnis.get(k) != erwartet.get(k))
    beispiele = [(k, erwartet.get(k), ergebnis.get(k)) for k in abweichend[:5]]
    return len(schluessel) - len(abweichend), len(schluessel), beispiele


def main() -> None:
    from engine.auswertung.durable import auswerter_fuer
    from engine.auswertung.massen import bewerte
    from engine.kommunen.daten import alle
    from engine.regeln.basis import lade_regelbasis
    from engine.zahlen import zahl

    parser = argparse.ArgumentParser()
    parser.add_argument("--stichtag", type=dt.date.fromisoformat, default=dt.date(2025, 6, 1))
    args = parser.parse_args()
    regelbasis = lade_regelbasis()
    profile = [d.profil(args.stichtag) for d in alle()]
    beginn = time.process_time()
    laender = bereite_vor(profile)
    vorbereitet = time.process_time()
    ergebnis = als_zeilen(werte_aus(regelbasis, laender, args.stichtag))
    fertig = time.process_time()
    auswerter, speicher = auswerter_fuer(regelbasis), {}
    erwartet = {(k.ags, rid): status.value for k in profile
                for rid, status, _ in bewerte(k, args.stichtag, regelbasis, auswerter, speicher).ergebnisse}
    gleich, gesamt, beispiele = vergleiche_mit(ergebnis, erwartet)
    print(f"Untergrenze (numpy, dreiwertig über Spannen): Felder {1000 * (vorbereitet - beginn):.0f} ms, "
          f"Auswertung samt Zeilen {1000 * (fertig - vorbereitet):.0f} ms CPU; Status gleich wie batch: {zahl(gleich)} "
          f"von {zahl(gesamt)} Zeilen")
    for (ags, rid), soll, ist in beispiele:
        print(f"  abweichend: {ags} {rid}: batch {soll}, Untergrenze {ist}")


if __name__ == "__main__":
    main()
