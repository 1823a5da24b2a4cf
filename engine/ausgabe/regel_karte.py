"""Die Karte einer Regel: je Kreis der Anteil der Kommunen, für die sie gilt – für die Länderseite der Webanwendung
und ``batch --karte``. Gezählt werden nur Kommunen eines Typs, für den die Regel gelten kann; ein Kreis ohne solche
Kommune ist „nicht betroffen“ (schraffiert), einer mit offenen Fällen trägt die zweite Schraffur.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from engine.ausgabe.karte_bild import bilder
from engine.ausgabe.karten import ANTEIL_STUFEN, KEIN_WERT, Flaeche, Karte, Stufe, anteil_stufe, prozent_text
from engine.auswertung.gebietszahlen import Gebietszaehlung
from engine.auswertung.hauptpflicht import hauptpflicht
from engine.begriffe import LAENDER
from engine.kommunen import tatsachen
from engine.kommunen.gebiete import einheit_name, einheiten, laender, namensnennung
from engine.regeln.basis import Regelbasis
from engine.regeln.modell import Regel
from engine.zahlen import zahl

NICHT_BETROFFEN = "nicht betroffen (kein Kommunaltyp der Regel)"


@dataclass(frozen=True)
class Kreiszeile:
    """Ein Kreis mit seinen Zahlen – eine Zeile der Liste, die die Karte in Text wiedergibt."""

    schluessel: str
    name: str
    gilt: int
    offen: int
    betroffen: int
    anteil: str
    stufe: Stufe


def regel_karte(regel: Regel, zaehlung: Gebietszaehlung, stichtag: dt.date, land: str | None = None,
                ziel: Callable[[str], str] | None = None, auswahl: set[str] | None = None
                ) -> tuple[Karte, list[Kreiszeile]]:
    """Karte und Kreisliste für ein Land (oder ganz Deutschland bzw. die Länder der ``auswahl``, dann mit
    Ländergrenzen); ``ziel`` macht aus dem Schlüssel eines Kreises das Ziel seines Links."""
    flaechen, liste = [], []
    gezeigt = {k: g for k, g in einheiten(stichtag, land).items() if auswahl is None or g.land in auswahl}
    for schluessel, gebiet in gezeigt.items():
        gilt, offen, betroffen = zaehlung.zahlen(schluessel, regel)
        name = einheit_name(schluessel, stichtag)
        if betroffen == 0:
            stufe, anteil, titel = KEIN_WERT, NICHT_BETROFFEN, f"{name}: {NICHT_BETROFFEN}"
        else:
            stufe, anteil = anteil_stufe(gilt / betroffen), prozent_text(gilt, betroffen)
            titel = f"{name}: gilt für {prozent_text(gilt, betroffen, 'Kommunen')}" + \
                (f", offen bei {zahl(offen)}" if offen else "")
        flaechen.append(Flaeche(gebiet, stufe, titel, ziel=ziel(schluessel) if ziel else None, offen=offen > 0))
        liste.append(Kreiszeile(schluessel, name, gilt, offen, betroffen, anteil, stufe))
    gebiet = (LAENDER[land].name if land else "Deutschland" if auswahl is None
              else ", ".join(LAENDER[c].name for c in LAENDER if c in auswahl))
    titel = f"Karte {gebiet}: Anteil der Kommunen je Kreis, für die „{regel.titel}“ gilt"
    beschreibung = (f"{zahl(len(liste))} Kreise und kreisfreie Städte; gilt in {zahl(sum(z.gilt for z in liste))} von "
                    f"{zahl(sum(z.betroffen for z in liste))} Kommunen, offen in {zahl(sum(z.offen for z in liste))}. "
                    "Die Zahlen je Kreis stehen in der Liste zur Karte.")
    karte = Karte(titel, beschreibung, flaechen, list(ANTEIL_STUFEN) + [KEIN_WERT], namensnennung(),
                  umrisse=[] if land else [g for c, g in laender().items() if auswahl is None or c in auswahl],
                  mit_offen=any(f.offen for f in flaechen))
    return karte, sorted(liste, key=lambda z: z.name)


class Kartensammlung:
    """``batch --karte``: sammelt während der Auswertung die Ergebnisse je Kreis und zeichnet danach die Karte einer
    Regel als PNG oder SVG."""

    def __init__(self, regel: Regel, stichtag: dt.date, laender_auswahl: set[str]):
        self.regel, self.stichtag = regel, stichtag
        self.auswahl = laender_auswahl or None
        self.zaehlung = Gebietszaehlung(stichtag)

    @classmethod
    def fuer(cls, regelbasis: Regelbasis, regel_id: str | None, laender_auswahl: set[str],
             stichtag: dt.date) -> "Kartensammlung":
        """Prüft die Angaben vor der Auswertung; ohne ``regel_id`` gilt bei einem Land dessen Hauptpflicht."""
        if regel_id is None:
            haupt = hauptpflicht(regelbasis, next(iter(laender_auswahl)), stichtag) if len(laender_auswahl) == 1 \
                else None
            if haupt is None:
                raise ValueError("Welche Regel soll die Karte zeigen? --karten-regel ID angeben (z. B. "
                                 "he.hgo.84.auslaenderbeirat; alle Kennungen: kommunalpflichten regeln liste).")
            return cls(haupt.regel, stichtag, laender_auswahl)
        if regel_id not in regelbasis.regeln:
            raise ValueError(f"Keine Regel mit der Kennung „{regel_id[:100]}“ in der Regelbasis.")
        return cls(regelbasis.regel(regel_id), stichtag, laender_auswahl)

    def erfasse(self, datensatz, kurz) -> None:
        """Ein Datensatz mit seinem Kurzergebnis [(Regel-id, Statuswort)]; der Typ ist der am Stichtag."""
        aenderung = tatsachen.typaenderung(datensatz.ags, self.stichtag) if len(datensatz.ags) == 8 else None
        self.zaehlung.erfasse(datensatz.ags, aenderung.typ_ab if aenderung else datensatz.typ, kurz)

    def bild(self, endung: str) -> bytes:
        land = next(iter(self.auswahl)) if self.auswahl and len(self.auswahl) == 1 else None
        karte, _ = regel_karte(self.regel, self.zaehlung, self.stichtag, land,
                               auswahl=None if land else self.auswahl)
        return bilder([karte], f"Rechtsstand {self.stichtag:%d.%m.%Y}", karte.quelle)[endung]


__all__ = ["regel_karte", "Kreiszeile", "Kartensammlung", "NICHT_BETROFFEN"]
