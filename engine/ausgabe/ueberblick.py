"""Bezeichnungen, die jede Ausgabe für ein Ergebnis braucht: Marke, Gegenstand, Prüfstatus, Datum – keine internen
Kürzel in Texten für Menschen. „Auf einen Blick“ selbst baut das Berichtsmodell (``aufbau.py``).
"""

from __future__ import annotations

import datetime as dt

from engine.auswertung.bericht import Ergebnis
from engine.begriffe import GEGENSTAENDE, PRUEFSTATUS_TEXT, Art, Status, Verbindlichkeit

VERB_ERKLAERUNG = {
    Verbindlichkeit.muss: "Pflicht",
    Verbindlichkeit.soll: "Soll-Vorschrift: im Regelfall verpflichtend, Abweichung nur in atypischen Fällen mit Begründung",
    Verbindlichkeit.kann: "Kann-Vorschrift: Option nach Ermessen, keine Pflicht",
}


def marke(e: Ergebnis) -> str:
    """Die Verbindlichkeit in Großbuchstaben – nie nur durch Farbe ausgedrückt."""
    r = e.regel
    if r.art == Art.foerderung:
        grund = "FÖRDERFÄHIG"
    elif r.verbindlichkeit is None:
        grund = "HINWEIS"
    else:
        grund = r.verbindlichkeit.value.upper()
    szenario = " (SZENARIO)" if r.entwurf else ""
    if e.status == Status.unbestimmt:
        return (f"OFFEN ({grund.lower()})" if grund != "FÖRDERFÄHIG" else "OFFEN (förderfähig?)") + szenario
    if e.status == Status.entfaellt:
        return f"ENTFÄLLT ({grund.lower()})" + szenario
    if e.norm_vorbehalt and r.art == Art.pflicht:
        return f"VORBEHALT ({grund.lower()})" + szenario  # Zuständigkeit belegt, Norm nicht: nie eine schlichte Pflicht
    return grund + szenario


def gegenstand_text(code: str) -> str:
    g = GEGENSTAENDE.get(code)
    return g.kurz or g.bezeichnung if g else code


def abgleich_text(z) -> str:
    """Womit der Wortlaut abgeglichen wurde (ein Spiegel darf hier stehen, nie als Quelle)."""
    if not z.quelle_wortlaut:
        return ""
    am = f", {z.abgerufen:%d.%m.%Y}" if z.abgerufen else ""
    return f"Wortlaut abgeglichen mit: {z.quelle_wortlaut}{am}"


def datum(d: dt.date) -> str:
    return d.strftime("%d.%m.%Y")


PRUEFSTATUS_KURZ = {"amtlich": "amtlich abgeglichen", "verifiziert": "Wortlaut verifiziert",
                    "sekundaerquelle": "nur Sekundärquelle", "unverifiziert": "nicht verifiziert"}


def pruefstatus_text(e: Ergebnis, kurz: bool = False) -> str:
    status = e.version.zitat.pruefstatus
    return f"Prüfstatus: {PRUEFSTATUS_KURZ[status.value]}" if kurz else PRUEFSTATUS_TEXT[status]


__all__ = ["marke", "gegenstand_text", "abgleich_text", "datum", "pruefstatus_text", "VERB_ERKLAERUNG",
           "PRUEFSTATUS_KURZ"]
