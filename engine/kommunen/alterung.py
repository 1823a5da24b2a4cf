"""Die gemeldeten ausländischen Einwohner an einem Stichtag – geschätzt nach dem Maß des Gesetzes, mit Spanne.

Die Gesetze zählen gemeldete ausländische Einwohner (Melderegister) an einem eigenen Stichtag. Die mitgelieferte Zahl
ist ein Zensusergebnis (15.05.2022), und die Register zählen mehr als der Zensus: wer fortzieht, ohne sich abzumelden,
bleibt gemeldet. Die Schätzung hat drei Stufen:

1. **Zensuspfad**: Zensus 2022 × bundesweites Wachstum der Ausländerzahl auf Zensusbasis (Destatis, ``WACHSTUM``;
   nach dem letzten Beleg 0 bis 3 % je Jahr). So zählt die amtliche Fortschreibung seit dem Zensus – die untere
   Zählweise. Vor dem Zensustag läuft der Pfad mit der Reihe des Kreises zurück.
2. **Registerniveau des Kreises**: INKAR weist den Ausländeranteil je Kreis aus der Fortschreibung auf Basis 2011 aus,
   die nur Registerbewegungen fortschreibt (bis Ende 2022). Ihr Verhältnis zum Zensusanteil des Kreises misst, wie viel
   mehr die Register im Kreis zählen; danach wächst es mit dem Zensuspfad.
3. **Melderegister**: Registerniveau × (1 + ``REGISTERZUSCHLAG``) – die kommunalen Melderegister liegen noch über der
   Fortschreibung auf Basis 2011. Der Zuschlag und die Breiten der Spanne sind an veröffentlichten Zahlen eingestellt
   (Kalibrierungshälfte, ``python bench/kalibrierung_zahlen.py``); gemessen wird an der Testhälfte
   (``python bench/abdeckung_zahlen.py``).

Die Spanne reicht vom Zensuspfad (untere Zählweise) bis über das Melderegister hinaus, verbreitert um die Abweichung
einzelner Orte vom Kreis und um den Abstand zum Zensus; eine Erstaufnahmeeinrichtung am Ort verbreitert sie um ihre
Plätze (Belegung zwischen leer und voll). Die Schätzung ersetzt nie die Zahl der Kommune: Maßgeblich ist das
Melderegister zum Stichtag der Norm (``--auslaendische-einwohner``).
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from engine.zahlen import zahl

ZENSUSTAG = dt.date(2022, 5, 15)
ENDE_2022 = dt.date(2022, 12, 31)
# Zahl der Ausländer auf Zensusbasis, bezogen auf den Zensusstichtag (10,9 Mio.)
WACHSTUM = (
    (dt.date(2022, 12, 31), 1.071),  # abgeleitet: Ende 2023 geteilt durch das AZR-Wachstum 2023 (13,38 → 13,90 Mio.)
    (dt.date(2023, 12, 31), 1.112),  # Fortschreibung auf Zensusbasis: 12,4 Mio. Ende 2024 / 1,023 = 12,12 Mio.
    (dt.date(2024, 12, 31), 1.138),  # Destatis: 12,4 Mio. Ende 2024 (+2,3 %)
)
FORTSCHREIBUNG_JE_JAHR = (0.0, 0.015, 0.03)  # nach dem letzten Beleg: unten, Mitte, oben
VOR_1995_JE_JAHR = 0.05  # vor der INKAR-Reihe: je Jahr zusätzliche Unsicherheit

# Kalibriert an den 59 Zahlen der Kalibrierungshälfte (python bench/kalibrierung_zahlen.py, Issue 20):
REGISTERZUSCHLAG = 0.054  # Median Melderegister / Registerniveau − 1 (28 Melderegisterzahlen)
# Breite der Spanne: Grundwert + je Jahr Abstand zum Zensustag, nach unten (vom Zensuspfad) und nach oben (vom
# Melderegister). Grundwert: größeres 95-%-Quantil der nötigen Breite (je Klasse oder über alle) + 2 Prozentpunkte;
# je Jahr: aus Issue 8 übernommen (Gemeinden weichen mit den Jahren stärker vom Kreis ab als Kreise und kreisfreie
# Städte). Die erste Fassung (Gemeinden oben 2 %) traf an der Testhälfte 82 % – siehe bench/kalibrierung_zahlen.py.
BREITE_GEMEINDE = {"unten": 0.02, "oben": 0.08, "je_jahr": 0.01}
BREITE_KREISEBENE = {"unten": 0.02, "oben": 0.10, "je_jahr": 0.005}
OHNE_KREISREIHE = 0.15  # Mindestbreite, wenn der Kreis keine INKAR-Reihe hat


@dataclass(frozen=True)
class Kreisreihe:
    kreis_ags: str
    zensus_anteil: float  # Ausländeranteil des Kreises im Zensus 2022 (aus den Gemeinden, in Prozent)
    inkar: dict[int, float]  # Jahr → Ausländeranteil Ende des Jahres (Fortschreibung), in Prozent


@lru_cache(maxsize=1)
def kreisreihen() -> dict[str, Kreisreihe]:
    """Die Reihen aller Kreise; aus dem Zwischenspeicher (Schlüssel: die Datei und dieser Code), sonst aus der Datei."""
    from pathlib import Path

    from engine import zwischenspeicher

    datei = resources.files("engine.daten").joinpath("kreise_auslaenderanteil.csv.gz")
    schluessel = zwischenspeicher.fingerabdruck([datei, Path(__file__).resolve()], "kreisreihen 1")
    erlaubt = {__name__: frozenset({"Kreisreihe"})}
    if schluessel is not None:
        gespeichert = zwischenspeicher.lies("kreisreihen", schluessel, erlaubt)
        if isinstance(gespeichert, dict) and all(isinstance(r, Kreisreihe) for r in gespeichert.values()):
            return gespeichert
    ergebnis = _lies_kreisreihen(datei.read_bytes())
    if schluessel is not None:
        zwischenspeicher.schreibe("kreisreihen", schluessel, ergebnis)
    return ergebnis


def _lies_kreisreihen(roh: bytes) -> dict[str, Kreisreihe]:
    ergebnis = {}
    for r in csv.DictReader(io.StringIO(gzip.decompress(roh).decode("utf-8"))):
        inkar = {int(k[1:]): float(v) for k, v in r.items() if k.startswith("j") and v}
        ergebnis[r["kreis_ags"]] = Kreisreihe(r["kreis_ags"], float(r["zensus_anteil"]), inkar)
    return ergebnis


def _jahresende(jahr: int) -> dt.date:
    return dt.date(jahr, 12, 31)


def _jahre(a: dt.date, b: dt.date) -> float:
    return abs((b - a).days) / 365.25


def _inkar_am(reihe: Kreisreihe, tag: dt.date) -> float:
    """Linear zwischen den Jahresendwerten der Reihe."""
    jahre = sorted(reihe.inkar)
    if tag <= _jahresende(jahre[0]):
        return reihe.inkar[jahre[0]]
    for a, b in zip(jahre, jahre[1:]):
        if tag <= _jahresende(b):
            anteil = (tag - _jahresende(a)).days / (_jahresende(b) - _jahresende(a)).days
            return reihe.inkar[a] + anteil * (reihe.inkar[b] - reihe.inkar[a])
    return reihe.inkar[jahre[-1]]


def zensuswachstum(tag: dt.date) -> tuple[float, float, float]:
    """Ausländerzahl auf Zensusbasis am ``tag`` relativ zum Zensustag (unten, Mitte, oben); ab dem Zensustag."""
    punkte = [(ZENSUSTAG, 1.0), *WACHSTUM]
    tag = max(tag, ZENSUSTAG)
    for (a, wa), (b, wb) in zip(punkte, punkte[1:]):
        if tag <= b:
            w = wa + (tag - a).days / (b - a).days * (wb - wa)
            return w, w, w
    letzter, w = punkte[-1]
    jahre = _jahre(letzter, tag)
    return tuple(w * (1 + r) ** jahre for r in FORTSCHREIBUNG_JE_JAHR)  # type: ignore[return-value]


@dataclass(frozen=True)
class Pfade:
    """Faktoren auf die Zensuszahl am Stichtag: Zensuspfad (untere Zählweise), Registerniveau des Kreises (INKAR), je
    als (unten, Mitte, oben) für die Fortschreibung nach dem letzten Beleg; ``reihe`` fehlt ohne Kreisreihe."""

    zensus: tuple[float, float, float]
    register: tuple[float, float, float]
    verhaeltnis: float  # Registerniveau / Zensus des Kreises am Bezugstag
    reihe: Kreisreihe | None


def pfade(kreis_ags: str, tag: dt.date) -> Pfade:
    reihe = kreisreihen().get(kreis_ags)
    if reihe is None or not reihe.zensus_anteil:
        w = zensuswachstum(tag)
        return Pfade(w, w, 1.0, None)
    if tag < ZENSUSTAG:  # zurück mit der Reihe des Kreises; Registerniveau = Fortschreibung Basis 2011 am Tag
        faktor = _inkar_am(reihe, tag) / _inkar_am(reihe, ZENSUSTAG)
        verhaeltnis = _inkar_am(reihe, tag) / reihe.zensus_anteil
        return Pfade((faktor,) * 3, (verhaeltnis,) * 3, verhaeltnis, reihe)
    bezug = min(tag, ENDE_2022)
    verhaeltnis = _inkar_am(reihe, bezug) / reihe.zensus_anteil
    zensus = zensuswachstum(tag)
    nachher = tuple(z / zensuswachstum(bezug)[1] for z in zensus)  # Wachstum nach dem Bezugstag
    return Pfade(zensus, tuple(verhaeltnis * n for n in nachher), verhaeltnis, reihe)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Schaetzung:
    mitte: int
    von: int
    bis: int
    grund: str


@dataclass(frozen=True)
class Zuschlag:
    """Eine Tatsache, die die Spanne in beide Richtungen verbreitert (z. B. Plätze einer Erstaufnahmeeinrichtung)."""

    anzahl: int
    text: str


def breite(ist_kreisebene: bool, tag: dt.date) -> tuple[float, float]:
    """Relative Breite nach unten und nach oben am ``tag``."""
    b = BREITE_KREISEBENE if ist_kreisebene else BREITE_GEMEINDE
    jahre = _jahre(ZENSUSTAG, tag)
    return b["unten"] + b["je_jahr"] * jahre, b["oben"] + b["je_jahr"] * jahre


def schaetze(zensus: int, zensus_von: int, zensus_bis: int, kreis_ags: str, einwohner: int, tag: dt.date,
             ist_kreisebene: bool, zuschlaege: tuple[Zuschlag, ...] = ()) -> Schaetzung:
    """Gemeldete ausländische Einwohner am ``tag`` aus der Zensuszahl (mit Rundungsspanne) und der Reihe des Kreises."""
    b = BREITE_KREISEBENE if ist_kreisebene else BREITE_GEMEINDE
    f = _kreisfaktoren(kreis_ags, tag, ist_kreisebene, REGISTERZUSCHLAG, b["unten"], b["oben"], b["je_jahr"])
    zusatz = sum(z.anzahl for z in zuschlaege) if zuschlaege else 0
    mitte = round(zensus * f.register_mitte * f.zuschlag)
    von = math.floor(zensus_von * f.unten_pfad * f.unten_breite) - zusatz
    bis = math.ceil(zensus_bis * f.register_oben * f.zuschlag * f.oben_breite) + zusatz
    von, bis = max(0, von), max(0, min(max(einwohner, 0), bis))
    mitte = min(max(mitte, von), bis)
    grund = (f.vor_zahl + zahl(zensus) + f.nach_zahl
             + ("".join(f"; {z.text}" + (f": ± {zahl(z.anzahl)}" if z.anzahl else "") for z in zuschlaege)
                if zuschlaege else "")
             + _GRUND_ENDE)
    return Schaetzung(mitte, von, bis, grund)


@dataclass(frozen=True)
class _Kreisfaktoren:
    """Was an Kreis und Tag hängt (für alle Gemeinden eines Kreises gleich) – die Faktoren einzeln, damit die Zahlen
    in derselben Reihenfolge gerechnet werden wie ohne Zwischenergebnis (gleiche Rundung)."""

    register_mitte: float
    register_oben: float
    zuschlag: float  # 1 + REGISTERZUSCHLAG
    unten_pfad: float  # min(Zensuspfad, Registerniveau) unten
    unten_breite: float  # 1 − Breite nach unten
    oben_breite: float  # 1 + Breite nach oben
    text: str  # Herkunft und Spanne, ab „Registerniveau …“ bis zur schließenden Klammer
    vor_zahl: str = ""  # der Grund der Schätzung bis zur Zensuszahl (je Kreis und Tag einmal gebildet)
    nach_zahl: str = ""  # der Grund nach der Zensuszahl, mit ``text``


_GRUND_ENDE = (". Maßgeblich ist die Zahl der gemeldeten ausländischen Einwohner zum Stichtag der Norm – "
               "mit --auslaendische-einwohner prüfen")


@lru_cache(maxsize=8192)
def _kreisfaktoren(kreis_ags: str, tag: dt.date, ist_kreisebene: bool, registerzuschlag: float, *breite_: float
                   ) -> _Kreisfaktoren:
    """Je Kreis, Tag und Ebene einmal; Zuschlag und Breiten (``breite_``) gehen in den Schlüssel ein, weil
    ``bench/kalibrierung_zahlen.py`` sie zur Laufzeit verstellt."""
    p = pfade(kreis_ags, tag)
    unten, oben = breite(ist_kreisebene, tag)
    if p.reihe is None:
        unten, oben = max(unten, OHNE_KREISREIHE), max(oben, OHNE_KREISREIHE)
        herkunft = "ohne Kreisreihe (Kreisgrenzen 2021 nicht zuzuordnen): Wachstum auf Zensusbasis"
    else:
        herkunft = (f"Registerniveau des Kreises {_prozent(p.verhaeltnis)} gegenüber dem Zensus (INKAR-Fortschreibung "
                    f"{min(tag, ENDE_2022).year}), Melderegister {_prozent(1 + registerzuschlag)} darüber")
        if tag > ENDE_2022:
            herkunft += f", Wachstum seit Ende 2022 {_prozent(p.zensus[1] / zensuswachstum(ENDE_2022)[1])} (Destatis, Zensusbasis)"
        if tag < _jahresende(min(p.reihe.inkar)):
            unten += VOR_1995_JE_JAHR * _jahre(tag, _jahresende(min(p.reihe.inkar)))
            oben += VOR_1995_JE_JAHR * _jahre(tag, _jahresende(min(p.reihe.inkar)))
    text = (f"{herkunft}; Spanne von der amtlichen Fortschreibung auf Zensusbasis − {_ganz(unten)} % bis zum "
            f"Melderegister + {_ganz(oben)} % (Abweichung einzelner Orte vom Kreis, Abstand zum Zensus"
            + (", Fortschreibung nach 2024: 0 bis 3 % je Jahr" if tag > WACHSTUM[-1][0] else "") + ")")
    return _Kreisfaktoren(p.register[1], p.register[2], 1 + registerzuschlag, min(p.zensus[0], p.register[0]),
                          1 - unten, 1 + oben, text,
                          f"geschätzte gemeldete ausländische Einwohner (Melderegister) am {tag:%d.%m.%Y}, fortgeschrieben "
                          "aus dem Zensus 2022 (15.05.2022: ",
                          " ausländische Einwohner, Anteil auf 0,1 Prozentpunkte gerundet); " + text)


def schaetze_register(zahl_basis: int, von: int, bis: int, basis_tag: dt.date, einwohner: int, tag: dt.date,
                      stadt_kreis: str = "") -> Schaetzung:
    """Eine Melderegisterzahl (z. B. Bezirke 31.12.2024) an einen anderen Stichtag: mit dem Registerniveau der Stadt
    (``stadt_kreis``: 02000 Hamburg, 11000 Berlin) wie jede Gemeinde mit der Reihe ihres Kreises – nach dem Zensustag
    mit dem Wachstum auf Zensusbasis, davor mit der INKAR-Reihe der Stadt –, je Jahr Abstand ± 2 % Unsicherheit
    (die Bezirke wachsen nicht im Gleichschritt mit der Stadt). Ohne Reihe der Stadt: bundesweites Wachstum, vor dem
    Zensustag keine Veränderung (breitere Spanne über den Abstand)."""
    reihe = kreisreihen().get(stadt_kreis) if stadt_kreis else None

    def faktor(t: dt.date) -> tuple[float, float, float]:
        if reihe is not None and reihe.zensus_anteil:
            return pfade(stadt_kreis, t).register
        if t < ZENSUSTAG:
            return 1.0, 1.0, 1.0
        return zensuswachstum(t)

    b = faktor(basis_tag)[1]
    unten, mitte_f, oben = (f / b for f in faktor(tag))
    jahre = _jahre(basis_tag, tag)
    mitte = round(zahl_basis * mitte_f)
    unten_z = max(0, math.floor(von * min(unten, 1.0 if tag >= basis_tag else unten) * (1 - 0.02 * jahre)))
    oben_z = min(einwohner, math.ceil(bis * oben * (1 + 0.02 * jahre)))
    if tag == basis_tag:
        weg = ""
    elif reihe is not None and reihe.zensus_anteil:
        weg = (f"; für den {tag:%d.%m.%Y} fortgeschrieben mit dem Registerniveau der Stadt "
               f"({_prozent(mitte_f)}; vor dem Zensus 2022 INKAR-Fortschreibung, danach Wachstum auf Zensusbasis; "
               f"± 2 % je Jahr Abstand)")
    else:
        weg = f"; für den {tag:%d.%m.%Y} fortgeschrieben mit dem bundesweiten Wachstum (± 2 % je Jahr Abstand)"
    grund = (f"gemeldete ausländische Einwohner (Melderegister) {basis_tag:%d.%m.%Y}: {zahl(zahl_basis)}" + weg +
             ". Maßgeblich ist die Zahl der gemeldeten ausländischen Einwohner zum Stichtag der Norm")
    return Schaetzung(min(max(mitte, unten_z), oben_z), unten_z, oben_z, grund)


def _prozent(faktor: float) -> str:
    return f"{(faktor - 1) * 100:+.1f} %".replace(".", ",")


def _ganz(anteil: float) -> str:
    return str(round(anteil * 100))


__all__ = ["Schaetzung", "Zuschlag", "schaetze", "schaetze_register", "kreisreihen", "pfade", "breite", "ZENSUSTAG"]
