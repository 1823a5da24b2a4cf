"""Die Karten der Webanwendung, als SVG in die Seite eingebettet (ohne JavaScript).

- ``/laender/XX``: die Kreise des Landes nach dem Anteil ihrer Kommunen, für die eine gewählte Regel gilt; jede
  Fläche führt zu ihrer Zeile in der Kreisliste darunter (die zugleich die Textfassung der Karte ist).
- ``/``: Deutschland nach der Hauptpflicht jedes Landes (``engine.auswertung.hauptpflicht``); jede Fläche führt zur
  Länderseite.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from markupsafe import Markup

from engine.ausgabe.karte_svg import svg
from engine.ausgabe.karten import Flaeche, Karte, Stufe
from engine.ausgabe.regel_karte import regel_karte
from engine.auswertung.gebietszahlen import Gebietszaehlung
from engine.auswertung.hauptpflicht import hauptpflicht
from engine.begriffe import LAENDER, Art, Verbindlichkeit
from engine.kommunen.gebiete import laender, namensnennung
from engine.regeln.basis import Regelbasis
from engine.regeln.modell import Regel


def gewaehlte_regel(zeilen: list[tuple[Regel, dict]], wunsch: str | None) -> Regel | None:
    """Die Regel der Karte: die gewünschte, wenn sie in der Tabelle steht; sonst das Integrationsgremium mit den
    meisten Kommunen, sonst die erste Pflicht, sonst die erste Zeile."""
    regeln = [r for r, _ in zeilen]
    for r in regeln:
        if r.id == wunsch:
            return r
    gremien = [(z.get("gilt", 0), r) for r, z in zeilen if r.art == Art.pflicht and r.gegenstand == "integrationsgremium"]
    if gremien:
        return max(gremien, key=lambda t: t[0])[1]
    return next((r for r in regeln if r.art == Art.pflicht), regeln[0] if regeln else None)


def land_karte(land: str, stichtag: dt.date, regel: Regel, zaehlung: Gebietszaehlung) -> dict:
    """SVG, Legende und Kreisliste für die Länderseite; jede Fläche führt zu ihrer Zeile der Liste."""
    karte, liste = regel_karte(regel, zaehlung, stichtag, land, ziel=lambda schluessel: f"#kreis-{schluessel}")
    return {"svg": Markup(svg(karte, breite=640, kennung="karte")), "karte": karte, "regel": regel, "liste": liste,
            "quelle": karte.quelle}


UEBERSICHT_STUFEN = {Verbindlichkeit.muss: Stufe("#2c7fb8", "Pflicht (muss)"),
                     Verbindlichkeit.soll: Stufe("#a1dab4", "Soll-Vorschrift (soll)"),
                     None: Stufe("#ffffff", "keine gesetzliche Pflicht (freiwillig möglich)")}


@dataclass(frozen=True)
class Landeszeile:
    code: str
    name: str
    text: str
    stufe: Stufe
    ziel: str


_UEBERSICHTEN: dict[tuple[str, dt.date], dict] = {}


def deutschland_karte(regelbasis: Regelbasis, stichtag: dt.date) -> dict:
    """SVG, Legende und Länderliste für die Startseite – je Regelbasis und Tag einmal gezeichnet (zwei Anfragen
    zugleich zeichnen schlimmstenfalls beide; das Ergebnis ist dasselbe)."""
    schluessel = (regelbasis.fingerabdruck, stichtag)
    if schluessel not in _UEBERSICHTEN:
        if len(_UEBERSICHTEN) >= 8:
            _UEBERSICHTEN.clear()
        _UEBERSICHTEN[schluessel] = _deutschland_karte(regelbasis, stichtag)
    return _UEBERSICHTEN[schluessel]


def _deutschland_karte(regelbasis: Regelbasis, stichtag: dt.date) -> dict:
    flaechen, liste = [], []
    for code, gebiet in laender().items():
        h = hauptpflicht(regelbasis, code, stichtag)
        stufe = UEBERSICHT_STUFEN[h.regel.verbindlichkeit if h else None]
        text = (f"{h.regel.verbindlichkeit.value}: {h.regel.titel} ({h.fassung.zitat.norm})" if h else
                "keine gesetzliche Pflicht zu einem Integrationsgremium")
        ziel = f"/laender/{code}?" + urlencode([("stichtag", stichtag.isoformat())] +
                                                ([("karte", h.regel.id)] if h else []))
        flaechen.append(Flaeche(gebiet, stufe, f"{LAENDER[code].name}: {text}", ziel=ziel))
        liste.append(Landeszeile(code, LAENDER[code].name, text, stufe, ziel))
    karte = Karte("Deutschlandkarte: Pflicht zu einem Integrationsgremium (Beirat, Integrationsrat, Beauftragte) "
                  f"je Land am {stichtag:%d.%m.%Y}",
                  f"{sum(z.stufe is UEBERSICHT_STUFEN[Verbindlichkeit.muss] for z in liste)} Länder mit Pflicht, "
                  f"{sum(z.stufe is UEBERSICHT_STUFEN[Verbindlichkeit.soll] for z in liste)} mit Soll-Vorschrift. "
                  "Die Liste neben der Karte nennt jede Regel.", flaechen, list(UEBERSICHT_STUFEN.values()),
                  namensnennung())
    return {"svg": Markup(svg(karte, breite=460, kennung="deutschland", toleranz_px=0.6)), "karte": karte,
            "liste": sorted(liste, key=lambda z: z.name), "quelle": namensnennung()}


__all__ = ["land_karte", "deutschland_karte", "gewaehlte_regel", "Landeszeile"]
