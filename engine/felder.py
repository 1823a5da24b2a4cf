"""Die Eingabegrößen, auf die sich Regeln beziehen dürfen: Profilfelder, Merkmale und abgeleitete Anteile.

Das ist die einzige Stelle, an der Felder definiert werden; Profilmodell, Regelprüfung, Compiler und
Erklärung lesen sie von hier.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

OBERGRENZE_EINWOHNER = 10_000_000  # größer als jede deutsche Kommune; schützt vor Tippfehlern und Überläufen


@dataclass(frozen=True)
class Feld:
    name: str
    art: str  # "zahl" (ganze Zahl ≥ 0), "wahrheitswert", "anteil", "text"
    bezeichnung: str  # so erscheint es in Begründungen ("1.234 ausländische Einwohner")
    beschreibung: str
    merkmal: bool = False  # steht im Profil unter ``merkmale``
    standard: object = None  # Füllwert im Fakt, wo das Merkmal für keine Regel zählt – nie eine Annahme über die Kommune
    frage: str = ""  # so wird nach einem unbekannten Merkmal gefragt („Hat die Gemeinde …?“)
    zaehler: str | None = None  # nur Anteile
    nenner: str | None = None
    einheit: str = ""


FELDER: dict[str, Feld] = {
    f.name: f
    for f in (
        Feld("einwohner", "zahl", "Einwohner", "Einwohnerzahl der Kommune (Gesamtbevölkerung).", einheit="Personen"),
        Feld(
            "auslaendische_einwohner",
            "zahl",
            "ausländische Einwohner",
            "Zahl der Einwohner ohne deutsche Staatsangehörigkeit (einschließlich Staatenloser); "
            "was genau zählt (gemeldet, mit Hauptwohnung), bestimmt die jeweilige Norm.",
            einheit="Personen",
        ),
        Feld(
            "auslaenderanteil",
            "anteil",
            "Ausländeranteil",
            "Anteil der ausländischen Einwohner an der Gesamtbevölkerung, exakt als Bruch berechnet.",
            zaehler="auslaendische_einwohner",
            nenner="einwohner",
            einheit="vom Hundert",
        ),
        Feld(
            "typ",
            "text",
            "Kommunaltyp",
            "Art der Kommune (siehe Kommunaltypen).",
        ),
        Feld(
            "integrationskommission_gebildet",
            "wahrheitswert",
            "Integrations-Kommission gebildet",
            "Die Gemeinde hat eine Integrations-Kommission nach § 89 HGO gebildet (HE, § 84 Satz 3 HGO).",
            merkmal=True,
            standard=False,
            frage="Hat die Gemeinde statt des Ausländerbeirats eine Integrations-Kommission nach § 89 HGO gebildet?",
        ),
        Feld(
            "auslaenderbeirat_unter_drei_mitglieder",
            "wahrheitswert",
            "Ausländerbeirat hat weniger als drei Mitglieder",
            "Der Ausländerbeirat hat infolge des Ausscheidens von Mitgliedern nur noch weniger als drei Mitglieder "
            "(HE, § 86 Abs. 1 Satz 3 HGO: die Einrichtung entfällt für die nachfolgende Wahlzeit).",
            merkmal=True,
            standard=False,
            frage="Hat der Ausländerbeirat infolge des Ausscheidens von Mitgliedern nur noch weniger als drei Mitglieder "
            "(§ 86 Abs. 1 Satz 3 HGO)?",
        ),
        Feld(
            "integrationsausschuss_gebildet",
            "wahrheitswert",
            "Integrationsausschuss gebildet",
            "Der Rat hat statt des Integrationsrats einen Integrationsausschuss gebildet (NW, § 27 Abs. 12 GO NRW).",
            merkmal=True,
            standard=False,
            frage="Hat der Rat statt des Integrationsrats einen Integrationsausschuss gebildet (§ 27 Abs. 12 GO NRW)?",
        ),
        Feld(
            "antrag_wahlberechtigte",
            "zahl",
            "Wahlberechtigte, die die Bildung eines Integrationsrats beantragt haben",
            "Zahl der Wahlberechtigten (§ 27 Abs. 3 Satz 1 GO NRW), die die Bildung eines Integrationsrats "
            "beantragt haben (NW, § 27 Abs. 1 Satz 2 GO NRW).",
            merkmal=True,
            standard=0,
            frage="Wie viele Wahlberechtigte haben die Bildung eines Integrationsrats beantragt (§ 27 Abs. 1 Satz 2 GO NRW)?",
            einheit="Personen",
        ),
        Feld(
            "beiratswahl_ausgefallen",
            "wahrheitswert",
            "Beiratswahl mangels Bewerbern ausgefallen",
            "Die Wahl zum Beirat fand nicht statt, weil keine oder zu wenige Wahlvorschläge eingereicht oder "
            "zugelassen wurden (SL § 50 Abs. 3 KSVG, RP § 56 Abs. 3 GemO, § 49a LKO, HE § 86 Abs. 1 Satz 3 HGO).",
            merkmal=True,
            standard=False,
            frage="Ist die Wahl zum Beirat mangels (ausreichender) Wahlvorschläge ausgefallen?",
        ),
        Feld(
            "integrationskonzept_vorhanden",
            "wahrheitswert",
            "Integrationskonzept beschlossen",
            "Die Kommune verfügt über ein (kommunales) Integrationskonzept (z. B. NW § 8 Abs. 1 TIntG, SN SächsITG).",
            merkmal=True,
            standard=False,
            frage="Hat die Kommune ein Integrationskonzept beschlossen?",
        ),
        Feld(
            "kommunales_integrationszentrum",
            "wahrheitswert",
            "Kommunales Integrationszentrum eingerichtet",
            "Der Kreis bzw. die kreisfreie Stadt hat ein Kommunales Integrationszentrum nach § 8 TIntG eingerichtet (NW).",
            merkmal=True,
            standard=False,
            frage="Hat der Kreis bzw. die kreisfreie Stadt ein Kommunales Integrationszentrum (§ 8 TIntG) eingerichtet?",
        ),
        Feld(
            "eigenes_jugendamt",
            "wahrheitswert",
            "eigenes Jugendamt",
            "Die kreisangehörige Kommune ist örtlicher Träger der Jugendhilfe mit eigenem Jugendamt (z. B. NW § 2 AG-KJHG, "
            "HE § 5 HKJGB, RP § 2 AGKJHG).",
            merkmal=True,
            standard=False,
            frage="Ist die Kommune selbst örtlicher Träger der Jugendhilfe mit eigenem Jugendamt?",
        ),
        Feld(
            "eigene_auslaenderbehoerde",
            "wahrheitswert",
            "eigene Ausländerbehörde",
            "Die kreisangehörige Kommune ist selbst Ausländerbehörde (z. B. NW Große kreisangehörige Stadt).",
            merkmal=True,
            standard=False,
            frage="Ist die kreisangehörige Kommune selbst Ausländerbehörde?",
        ),
        Feld(
            "integrationsmanagement_genutzt",
            "wahrheitswert",
            "kommunales Integrationsmanagement genutzt",
            "Die untere Integrationsbehörde (Landkreis, Kreisfreie Stadt) gestaltet Integration und Teilhabe mit dem "
            "Steuerungsinstrument des kommunalen Integrationsmanagements (SN, § 12 Abs. 1 SächsIntG: „können“).",
            merkmal=True,
            standard=False,
            frage="Gestaltet der Landkreis bzw. die Kreisfreie Stadt Integration mit dem Steuerungsinstrument des kommunalen "
            "Integrationsmanagements (§ 12 Abs. 1 SächsIntG)?",
        ),
        Feld(
            "eigene_einbuergerungsbehoerde",
            "wahrheitswert",
            "eigene Einbürgerungsbehörde",
            "Die kreisangehörige Kommune ist selbst Staatsangehörigkeits- bzw. Einbürgerungsbehörde oder nimmt "
            "Einbürgerungsanträge selbst entgegen (z. B. NI selbständige Gemeinde nach der AllgZustVO-Kom, wo die "
            "Zuständigkeit nicht geklärt ist; SL Landeshauptstadt Saarbrücken und Mittelstädte St. Ingbert, Völklingen).",
            merkmal=True,
            standard=False,
            frage="Ist die kreisangehörige Kommune selbst Einbürgerungsbehörde (Staatsangehörigkeitsbehörde) oder nimmt "
                  "sie Einbürgerungsanträge selbst entgegen?",
        ),
        Feld(
            "integrationsrat_gebildet",
            "wahrheitswert",
            "Integrationsrat gebildet",
            "Die Gemeinde hat einen Integrationsrat nach § 27 GO NRW gebildet.",
            merkmal=True,
            standard=False,
            frage="Hat die Gemeinde einen Integrationsrat (oder Integrationsausschuss) nach § 27 GO NRW gebildet?",
        ),
    )
}

MERKMALE = {name: f for name, f in FELDER.items() if f.merkmal}


def anteil(zaehler: int, nenner: int) -> Fraction:
    """Exakter Anteil in Prozent (vom Hundert) als Bruch."""
    return Fraction(100 * zaehler, nenner)
