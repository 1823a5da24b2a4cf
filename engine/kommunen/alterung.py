"""Zahlen, die ehrlich altern: die Zahl der gemeldeten ausländischen Einwohner an einem Stichtag, geschätzt mit Spanne.

Die Gesetze zählen gemeldete Einwohner (Melderegister) an einem eigenen Stichtag; die mitgelieferte Zahl ist ein
Zensusergebnis (15.05.2022). Die Schätzung schreibt sie fort:

1. **Verhältnis Melderegister/Zensus des Kreises**: INKAR weist den Ausländeranteil je Kreis aus der
   Bevölkerungsfortschreibung (registerbasiert) bis Ende 2022 aus. Sein Verhältnis zum Zensusanteil desselben Kreises
   am Zensusstichtag misst, wie viel mehr die Register zählen (bundesweit Median +3,5 %, Spanne −9 % bis +30 %), und
   sein Verlauf zeigt das Wachstum des Kreises (1995–2022; vor dem Zensus zeitlich zurück).
2. **Wachstum nach 2022**: bundesweite Zahl der Ausländer auf Zensusbasis (Destatis/AZR, siehe ``WACHSTUM``);
   nach dem letzten belegten Jahr wird mit 0 bis 3 % je Jahr weitergerechnet (Mitte 1,5 %).
3. **Spanne**: Rundung des Zensusanteils (± 0,05 Prozentpunkte), Abweichung einer Gemeinde vom Verhältnis ihres
   Kreises (± 8 %; kreisfreie Städte und Kreise ± 3 %) und die Fortschreibung über das letzte belegte Jahr hinaus.

Die Schätzung ersetzt nie die Zahl der Kommune: Maßgeblich ist das Melderegister zum Stichtag der Norm
(``--auslaendische-einwohner``). Die Abdeckung veröffentlichter Zahlen misst ``bench/abdeckung_zahlen.py``.
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
# Zahl der Ausländer auf Zensusbasis, bezogen auf den Zensusstichtag (10,9 Mio.) – Belege in docs/daten-alterung.md
WACHSTUM = (
    (dt.date(2022, 12, 31), 1.071),  # abgeleitet: Ende 2023 geteilt durch das AZR-Wachstum 2023 (13,38 → 13,90 Mio.)
    (dt.date(2023, 12, 31), 1.112),  # Fortschreibung auf Zensusbasis: 12,4 Mio. Ende 2024 / 1,023 = 12,12 Mio.
    (dt.date(2024, 12, 31), 1.138),  # Destatis: 12,4 Mio. Ende 2024 (+2,3 %)
)
FORTSCHREIBUNG_JE_JAHR = (0.0, 0.015, 0.03)  # nach dem letzten Beleg: unten, Mitte, oben
# Abweichung vom Verhältnis des Kreises: am Zensusstichtag plus je Jahr Abstand (Gemeinden wachsen verschieden)
ABWEICHUNG_GEMEINDE = (0.15, 0.01)
ABWEICHUNG_KREIS = (0.08, 0.005)  # kreisfreie Stadt oder Kreis
VOR_1995_JE_JAHR = 0.05  # vor der INKAR-Reihe: je Jahr zusätzliche Unsicherheit


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


def _wachstum_nach_2022(tag: dt.date) -> tuple[float, float, float]:
    """Wachstum der Ausländerzahl seit Ende 2022 (unten, Mitte, oben)."""
    basis = WACHSTUM[0][1]
    punkte = [(d, w / basis) for d, w in WACHSTUM]
    if tag <= punkte[0][0]:
        return 1.0, 1.0, 1.0
    for (a, wa), (b, wb) in zip(punkte, punkte[1:]):
        if tag <= b:
            w = wa + (tag - a).days / (b - a).days * (wb - wa)
            return w, w, w
    letzter, w = punkte[-1]
    jahre = (tag - letzter).days / 365.25
    return tuple(w * (1 + r) ** jahre for r in FORTSCHREIBUNG_JE_JAHR)  # type: ignore[return-value]


@dataclass(frozen=True)
class Schaetzung:
    mitte: int
    von: int
    bis: int
    grund: str


def schaetze(zensus: int, zensus_von: int, zensus_bis: int, kreis_ags: str, einwohner: int, tag: dt.date,
             ist_kreisebene: bool) -> Schaetzung:
    """Gemeldete ausländische Einwohner am ``tag`` aus der Zensuszahl (mit Rundungsspanne) und der Reihe des Kreises."""
    verhaeltnis, unten, mitte_f, oben, abweichung, herkunft = _kreisfaktoren(kreis_ags, tag, ist_kreisebene)
    mitte = round(zensus * verhaeltnis * mitte_f)
    von = max(0, math.floor(zensus_von * verhaeltnis * unten * (1 - abweichung)))
    bis = min(max(einwohner, 0), math.ceil(zensus_bis * verhaeltnis * oben * (1 + abweichung)))
    mitte = min(max(mitte, von), bis)
    grund = (f"geschätzt für den {tag:%d.%m.%Y} aus dem Zensus 2022 (15.05.2022: {zahl(zensus)} ausländische "
             f"Einwohner, Anteil auf 0,1 Prozentpunkte gerundet); {herkunft}")
    return Schaetzung(mitte, von, bis, grund)


@lru_cache(maxsize=8192)
def _kreisfaktoren(kreis_ags: str, tag: dt.date, ist_kreisebene: bool) -> tuple[float, float, float, float, float, str]:
    """Was an Kreis und Tag hängt (für alle Gemeinden eines Kreises gleich): Verhältnis Melderegister/Zensus,
    Wachstum (unten, Mitte, oben), Abweichung und der Text dazu ab „Verhältnis …“."""
    reihe = kreisreihen().get(kreis_ags)
    grund_abw, je_jahr = ABWEICHUNG_KREIS if ist_kreisebene else ABWEICHUNG_GEMEINDE
    abweichung = grund_abw + je_jahr * abs((tag - ZENSUSTAG).days) / 365.25
    if reihe is None or not reihe.zensus_anteil:
        verhaeltnis, herkunft = 1.0, "ohne Kreisreihe (Kreisgrenzen 2021 nicht zuzuordnen)"
        abweichung = max(abweichung, 0.15)
        unten = oben = mitte_f = 1.0
    else:
        bezug = min(tag, _jahresende(2022))
        verhaeltnis = _inkar_am(reihe, bezug) / reihe.zensus_anteil
        unten, mitte_f, oben = _wachstum_nach_2022(tag)
        herkunft = (f"Verhältnis Melderegister/Zensus des Kreises {_prozent(verhaeltnis)} "
                    f"(INKAR-Fortschreibung {min(tag.year, 2022) if tag < _jahresende(2022) else 2022} "
                    f"gegen Zensus 2022)")
        if tag > _jahresende(2022):
            herkunft += f", Wachstum seit Ende 2022 {_prozent(mitte_f)} (Destatis, Zensusbasis)"
        if tag < _jahresende(min(reihe.inkar)):
            jahre = (_jahresende(min(reihe.inkar)) - tag).days / 365.25
            abweichung += VOR_1995_JE_JAHR * jahre
    text = (f"{herkunft}; Spanne ± {round(abweichung * 100)} % für Abweichungen vom Kreis"
            + (" und die Fortschreibung nach 2024 (0 bis 3 % je Jahr)" if tag > WACHSTUM[-1][0] else "")
            + ". Maßgeblich ist die Zahl der gemeldeten ausländischen Einwohner zum Stichtag der Norm – "
            "mit --auslaendische-einwohner prüfen")
    return verhaeltnis, unten, mitte_f, oben, abweichung, text


def schaetze_register(zahl_basis: int, von: int, bis: int, basis_tag: dt.date, einwohner: int, tag: dt.date) -> Schaetzung:
    """Eine Melderegisterzahl (z. B. Bezirke 31.12.2024) an einen anderen Stichtag: bundesweites Wachstum auf
    Zensusbasis, je Jahr Abstand ± 2 % Unsicherheit (vorher und nachher)."""
    def faktor(t: dt.date) -> tuple[float, float, float]:
        if t <= WACHSTUM[0][0]:
            w = 1.0 + (WACHSTUM[0][1] - 1.0) * max(0, (t - ZENSUSTAG).days) / (WACHSTUM[0][0] - ZENSUSTAG).days
            return w, w, w
        return tuple(WACHSTUM[0][1] * f for f in _wachstum_nach_2022(t))  # type: ignore[return-value]

    b = faktor(basis_tag)[1]
    unten, mitte_f, oben = (f / b for f in faktor(tag))
    jahre = abs((tag - basis_tag).days) / 365.25
    mitte = round(zahl_basis * mitte_f)
    unten_z = max(0, math.floor(von * min(unten, 1.0 if tag >= basis_tag else unten) * (1 - 0.02 * jahre)))
    oben_z = min(einwohner, math.ceil(bis * oben * (1 + 0.02 * jahre)))
    grund = (f"Melderegister {basis_tag:%d.%m.%Y}: {zahl(zahl_basis)} ausländische Einwohner"
             + (f"; für den {tag:%d.%m.%Y} fortgeschrieben mit dem bundesweiten Wachstum (± 2 % je Jahr Abstand)"
                if tag != basis_tag else "") +
             ". Maßgeblich ist die Zahl der gemeldeten ausländischen Einwohner zum Stichtag der Norm")
    return Schaetzung(min(max(mitte, unten_z), oben_z), unten_z, oben_z, grund)


def _prozent(faktor: float) -> str:
    return f"{(faktor - 1) * 100:+.1f} %".replace(".", ",")


__all__ = ["Schaetzung", "schaetze", "schaetze_register", "kreisreihen", "ZENSUSTAG"]
