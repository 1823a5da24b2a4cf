"""Ergebnisseite und Druckansicht einer Kommune: das Berichtsmodell (``engine.ausgabe.aufbau.baue``) plus das, was
nur die Webseite hat – das Formular mit den offenen Fragen und den schon gegebenen Antworten.

Die Seite leitet keine Abschnitte mehr selbst ab: Status, Marke und Abschnitt einer Karte kommen aus dem Modell, so
wie in Text, Markdown und DOCX. Eine beantwortete Frage, die eine Ausnahme greifen lässt, verschiebt die Karte in
„Entfällt“ – sie zählt dann nicht mehr unter den Pflichten und trägt keine Erklärung „Pflicht“ mehr.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from engine.ausgabe.aufbau import baue
from engine.ausgabe.modell import Berichtsmodell
from engine.auswertung.bericht import Bericht
from engine.felder import MERKMALE
from engine.kommunen.profil import ZAEHLWEISEN
from web.anfrage import Angaben


@dataclass
class Formfrage:
    """Eine Frage im Formular: offen (mit Nummer aus dem Bericht) oder schon beantwortet (zum Ändern)."""

    merkmal: str
    text: str
    wahrheitswert: bool
    nummer: int | None = None
    folgen: list[str] = field(default_factory=list)
    wert: str = ""


def formfragen(m: Berichtsmodell, angaben: Angaben) -> list[Formfrage]:
    fragen = [Formfrage(f.merkmal, f.text, f.aktion.wahrheitswert, f.nummer, f.folgen,
                        angaben.merkmale.get(f.merkmal, "")) for f in m.fragen if f.aktion.art == "merkmal"]
    offen = {f.merkmal for f in fragen}
    for name, wert in angaben.merkmale.items():  # schon beantwortete Fragen bleiben im Formular (zum Ändern)
        if name not in offen:
            feld = MERKMALE[name]
            fragen.append(Formfrage(name, feld.frage or feld.bezeichnung, feld.art == "wahrheitswert", None, [], wert))
    return fragen


def marke_klasse(marke: str) -> str:
    """CSS-Klasse einer Marke: „OFFEN (soll)“ → „offen“; die Farbe ergänzt das Wort, ersetzt es nie."""
    return marke.split(" ")[0].lower().replace("ä", "ae").replace("ö", "oe")


def fragen_von(e) -> list[int]:
    """Die Nummern der Fragen, von denen ein Eintrag abhängt (offen oder unter Vorbehalt)."""
    return sorted({a.frage for a in e.offen} | {v.frage for v in e.vorbehalte if v.frage})


FILTER = {"marke_klasse": marke_klasse, "fragen_von": fragen_von}


def seitendaten(bericht: Bericht, angaben: Angaben) -> dict:
    """Was die Ergebnisseite und die Druckansicht brauchen."""
    m = baue(bericht)
    return {"m": m, "angaben": angaben, "fragen": formfragen(m, angaben),
            "zahlfragen": [f for f in m.fragen if f.aktion.art == "zahl"],
            "abfrage": urlencode(angaben.parameter()), "ags": bericht.kommune.ags or "", "zaehlweisen": ZAEHLWEISEN,
            "zahlen_stand": bericht.kommune.stichtag_daten,
            "mit_foerderung": any(e.art == "foerderung" for g in m.blick for e in g.punkte)}


__all__ = ["seitendaten", "formfragen", "marke_klasse", "fragen_von", "Formfrage", "FILTER"]

