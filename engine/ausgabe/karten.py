"""Was jede Karte braucht, gleich ob als Bild (``karte_bild``) oder als SVG in der Webseite (``karte_svg``): die
Projektion, die Vereinfachung auf die Zeichengröße, die Farbstufen mit Legende in Worten und das Modell einer Karte.

Projektion: flächentreue azimutale Lambert-Projektion (Kugel) mit Mittelpunkt in Deutschland – in einer Choroplethen-
karte soll ein großer Kreis nicht durch die Projektion größer wirken. Farben: aufsteigende ColorBrewer-Reihen
(YlGnBu, YlOrBr), für Farbfehlsichtige unterscheidbar und im Graudruck von hell nach dunkel geordnet; was kein Wert
ist (nicht betroffen, offen), ist schraffiert statt nur andersfarbig.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from engine.kommunen.gebiete import Gebiet, Ring
from engine.zahlen import zahl

ERDRADIUS_KM = 6371.0
MITTE = (10.45, 51.16)  # Länge, Breite: Mittelpunkt Deutschlands


def projiziere(laenge: float, breite: float) -> tuple[float, float]:
    """Lambert azimutal flächentreu um ``MITTE``: (Länge, Breite) in Grad → (x nach Osten, y nach Norden) in km."""
    l0, p0 = math.radians(MITTE[0]), math.radians(MITTE[1])
    lam, phi = math.radians(laenge), math.radians(breite)
    k = math.sqrt(2 / (1 + math.sin(p0) * math.sin(phi) + math.cos(p0) * math.cos(phi) * math.cos(lam - l0)))
    x = k * math.cos(phi) * math.sin(lam - l0)
    y = k * (math.cos(p0) * math.sin(phi) - math.sin(p0) * math.cos(phi) * math.cos(lam - l0))
    return x * ERDRADIUS_KM, y * ERDRADIUS_KM


def vereinfache(punkte: list[tuple[float, float]], toleranz: float) -> list[tuple[float, float]]:
    """Douglas-Peucker für einen geschlossenen Ring (ohne Wiederholung des ersten Punkts): was auf der Zeichnung
    weniger als ``toleranz`` von der Linie abweicht, fällt weg. Weniger als drei Punkte: der Ring verschwindet."""
    if len(punkte) < 4 or toleranz <= 0:
        return punkte if len(punkte) >= 3 else []
    # Ein Ring hat keinen natürlichen Anfang: geteilt am Punkt, der am weitesten vom ersten entfernt liegt.
    x0, y0 = punkte[0]
    weit = max(range(len(punkte)), key=lambda i: (punkte[i][0] - x0) ** 2 + (punkte[i][1] - y0) ** 2)
    behalten = {0, weit}
    for anfang, ende in ((0, weit), (weit, len(punkte))):
        stapel = [(anfang, ende)]
        while stapel:
            a, e = stapel.pop()
            ax, ay = punkte[a]
            ex, ey = punkte[e % len(punkte)]
            dx, dy = ex - ax, ey - ay
            laenge = math.hypot(dx, dy)
            beste, abstand = -1, toleranz
            for i in range(a + 1, e):
                px, py = punkte[i]
                d = abs(dx * (ay - py) - dy * (ax - px)) / laenge if laenge else math.hypot(px - ax, py - ay)
                if d > abstand:
                    beste, abstand = i, d
            if beste >= 0:
                behalten.add(beste)
                stapel += [(a, beste), (beste, e)]
    ergebnis = [punkte[i] for i in sorted(behalten)]
    return ergebnis if len(ergebnis) >= 3 else []


@dataclass(frozen=True)
class Stufe:
    """Eine Stufe der Legende: Farbe, Text in Worten, schraffiert (für „nicht betroffen“ und „offen“)."""

    farbe: str
    text: str
    schraffiert: bool = False


KEIN_WERT = Stufe("#ffffff", "nicht betroffen", schraffiert=True)
# Anteil von 0 bis 1: sechs Stufen, 0 weiß, dann YlGnBu; ganze Zahlen bleiben ehrlich („alle“ nur bei 100 %).
ANTEIL_STUFEN = (Stufe("#ffffff", "keine (0 %)"), Stufe("#c7e9b4", "bis ein Viertel (über 0 bis 25 %)"),
                 Stufe("#7fcdbb", "bis zur Hälfte (über 25 bis 50 %)"),
                 Stufe("#41b6c4", "bis drei Viertel (über 50 bis 75 %)"),
                 Stufe("#2c7fb8", "mehr als drei Viertel (unter 100 %)"), Stufe("#253494", "alle (100 %)"))
KOSTEN_FARBEN = ("#fee391", "#fec44f", "#fe9929", "#d95f0e", "#993404")  # YlOrBr, hell → dunkel
OFFEN_TEXT = "schraffiert: mit offenen Fällen (Zahl nahe der Schwelle oder unbekannte Tatsache)"


def anteil_stufe(anteil: float) -> Stufe:
    if anteil <= 0:
        return ANTEIL_STUFEN[0]
    if anteil >= 1:
        return ANTEIL_STUFEN[5]
    return ANTEIL_STUFEN[1 + min(3, int(anteil * 4 - 1e-9))]


_SCHRITTE = (1, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5, 10)


def _aufrunden(wert: float) -> float:
    """Die nächste „runde“ Grenze ab dem Wert: 1; 1,5; 2; 2,5; 3; 4; 5; 6; 7,5 mal eine Zehnerpotenz."""
    if wert <= 0:
        return 0.0
    basis = 10 ** math.floor(math.log10(wert))
    return next(f * basis for f in _SCHRITTE if f * basis >= wert * (1 - 1e-12))


def euro(betrag: float) -> str:
    """Deutsche Schreibweise für Beträge in Legenden: 250.000 €, 1,5 Mio. €."""
    if betrag >= 1_000_000:
        text = f"{betrag / 1e6:.1f}".replace(".", ",")
        return (text[:-2] if text.endswith(",0") else text) + " Mio. €"
    return f"{zahl(round(betrag))} €"


def kosten_stufen(werte: list[float]) -> list[tuple[float, Stufe]]:
    """Bis zu fünf Stufen mit runden Obergrenzen an den Quintilen der Werte > 0: (Obergrenze, Stufe). Liegen viele
    Werte gleich auf (zwei Stellen je Kreis), zählen die verschiedenen Werte statt aller."""
    positiv = sorted(w for w in werte if w > 0)
    if not positiv:
        return []

    def grenzen_aus(reihe: list[float]) -> list[float]:
        ergebnis: list[float] = []
        for q in (0.2, 0.4, 0.6, 0.8):
            g = _aufrunden(reihe[min(len(reihe) - 1, int(q * len(reihe)))])
            if g > (ergebnis[-1] if ergebnis else 0) and g < positiv[-1]:
                ergebnis.append(g)
        return ergebnis

    grenzen = grenzen_aus(positiv)
    if len(grenzen) < 3:
        grenzen = max(grenzen, grenzen_aus(sorted(set(positiv))), key=len)
    grenzen.append(math.inf)
    n = len(grenzen)
    farben = [KOSTEN_FARBEN[round(i * 4 / (n - 1))] for i in range(n)] if n > 1 else [KOSTEN_FARBEN[2]]
    stufen, unten = [], 0.0
    for obergrenze, farbe in zip(grenzen, farben):
        if obergrenze == math.inf:
            text = f"über {euro(unten)}" if unten else "über 0 €"
        else:
            text = f"über {euro(unten)} bis {euro(obergrenze)}" if unten else f"bis {euro(obergrenze)}"
        stufen.append((obergrenze, Stufe(farbe, text)))
        unten = obergrenze
    return stufen


def kosten_stufe(betrag: float, stufen: list[tuple[float, Stufe]]) -> Stufe:
    if betrag <= 0 or not stufen:
        return Stufe("#ffffff", "keine Kosten")
    return next(s for grenze, s in stufen if betrag <= grenze)


@dataclass
class Flaeche:
    """Eine gefärbte Fläche: Gebiet, Stufe, Titel (Name und Zahlen in einem Satz), Ziel eines Links, schraffiert."""

    gebiet: Gebiet
    stufe: Stufe
    titel: str
    ziel: str | None = None
    offen: bool = False


@dataclass
class Karte:
    """Was gezeichnet wird: Flächen (in Zeichenreihenfolge), Umrisse darüber, Legende, Titel und Quellenvermerk."""

    titel: str
    beschreibung: str  # Textalternative: was die Karte zeigt und wo die Zahlen stehen
    flaechen: list[Flaeche]
    legende: list[Stufe]
    quelle: str
    umrisse: list[Gebiet] = field(default_factory=list)
    mit_offen: bool = False  # Legende nennt die Schraffur für offene Fälle


_PROJIZIERT: dict[str, tuple] = {}  # Schlüssel → (Flächen, projizierte Ringe)


def projizierte_ringe(gebiet: Gebiet) -> list[list[tuple[float, float]]]:
    """Alle Ringe eines Gebiets projiziert (km); je Gebiet einmal gerechnet – die Flächen ändern sich nicht (ihr
    Tupel wird nur auf Identität geprüft, nicht gehasht: 95.000 Punkte zu hashen kostete mehr als das Projizieren)."""
    gespeichert = _PROJIZIERT.get(gebiet.schluessel)
    if gespeichert is None or gespeichert[0] is not gebiet.flaechen:
        ringe = [[projiziere(x, y) for x, y in ring] for polygon in gebiet.flaechen for ring in polygon]
        gespeichert = _PROJIZIERT[gebiet.schluessel] = (gebiet.flaechen, ringe)
    return gespeichert[1]


def ausdehnung(ringe: list[list[tuple[float, float]]]) -> tuple[float, float, float, float]:
    xs = [x for r in ringe for x, _ in r]
    ys = [y for r in ringe for _, y in r]
    return min(xs), min(ys), max(xs), max(ys)


def prozent_text(teil: int, ganzes: int, wort: str = "") -> str:
    """„7 von 13 Gemeinden (54 %)“ – gerundet auf ganze Prozent, aber nie 0 % oder 100 %, wenn es nicht genau so
    ist."""
    if ganzes == 0:
        return f"keine {wort}".strip()
    p = round(100 * teil / ganzes)
    p = 1 if p == 0 and teil else 99 if p == 100 and teil < ganzes else p
    return f"{zahl(teil)} von {zahl(ganzes)}{' ' + wort if wort else ''} ({p} %)"


__all__ = ["projiziere", "vereinfache", "Stufe", "KEIN_WERT", "ANTEIL_STUFEN", "OFFEN_TEXT", "anteil_stufe",
           "kosten_stufen", "kosten_stufe", "euro", "Flaeche", "Karte", "projizierte_ringe", "ausdehnung",
           "prozent_text", "Ring"]
