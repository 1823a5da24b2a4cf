"""Die Hauptpflicht eines Landes für die Deutschlandkarte: das Integrationsgremium (Beirat, Integrationsrat,
Beauftragte), um das die Studie kreist – die stärkste geltende Fassung am Stichtag, ohne eine Kommune auszuwerten.

Reihenfolge: muss vor soll; bei gleicher Verbindlichkeit zuerst die Regel für Gemeinden (oder Bezirke), dann die für
Kreise; dann ein gewähltes Gremium (Beirat, Integrationsrat) vor Ausschuss, Kommission und Beauftragten, die oft nur
Auffang- oder Folgeregeln sind (Saarland: Beauftragte, wenn die Beiratswahl ausfällt). Ein Land ohne solche Regel hat
keine gesetzliche Pflicht zu einem Integrationsgremium.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from engine.begriffe import Art, Rolle, Verbindlichkeit, konkrete_typen
from engine.regeln.basis import Regelbasis
from engine.regeln.modell import Regel, Version

GEGENSTAND = "integrationsgremium"
_GEMEINDEEBENE = {"gemeinde", "bezirk", "stadtstaat"}
_GEWAEHLT = re.compile(r"(beirat|integrationsrat)\b", re.IGNORECASE)  # nicht „Beiratswahl“


@dataclass(frozen=True)
class Hauptpflicht:
    regel: Regel
    fassung: Version


def hauptpflicht(regelbasis: Regelbasis, land: str, stichtag: dt.date) -> Hauptpflicht | None:
    kandidaten = []
    for g in regelbasis.regeln.values():
        r = g.regel
        if (r.land != land or r.art != Art.pflicht or r.gegenstand != GEGENSTAND or r.rolle != Rolle.regel
                or r.entwurf or r.verbindlichkeit not in (Verbindlichkeit.muss, Verbindlichkeit.soll)):
            continue
        fassung = r.version_am(stichtag)
        if fassung is None:
            continue
        gemeinden = bool(set(konkrete_typen(r.typen)) & _GEMEINDEEBENE)
        rang = (r.verbindlichkeit != Verbindlichkeit.muss, not gemeinden, not _GEWAEHLT.search(r.titel), r.id)
        kandidaten.append((rang, Hauptpflicht(r, fassung[1])))
    return min(kandidaten, key=lambda t: t[0])[1] if kandidaten else None


__all__ = ["Hauptpflicht", "hauptpflicht", "GEGENSTAND"]
