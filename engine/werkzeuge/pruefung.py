"""``regeln pruefen``: alle Befunde zu Regeldateien, mit Position, Schwere und Hinweis.

Neben Form und Verweisen (``regelbasis.py``) prüft dieses Modul:

* Wortlaut ↔ Operator („mehr als“ = gt, „mindestens“ = gte, …), ein Widerspruch ist ein Fehler;
* Zeitachsen: Lücken zwischen Fassungen müssen mit ``luecke_davor`` begründet sein;
* Logik je Land, Gegenstand und Kommunaltyp auf einem Gitter aller Grenzwerte und Stichtage:
  Lücken (keine Aussage), Überschneidungen (zwei Regeln entscheiden gleichzeitig verschieden),
  unerreichbare Regelfassungen – jeweils mit einem Gegenbeispiel, das sich als Regeltest einfügen lässt;
* die Grenzen von durable-rules je kompiliertem Regelsatz.

Logik und Grenzen von durable-rules stehen in eigenen Modulen (``logikpruefung.py``, ``engine_grenzen.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from engine.fehler import Meldung
from engine.felder import FELDER
from engine.regeln.basis import GeladeneRegel, Regelbasis, regeldateien, sammle_regelbasis, standard_regelverzeichnis
from engine.regeln.modell import Alle, Bedingung, Eine, Nicht, Vergleich, prozentwert
from engine.regeln.wortlaut import OPERATOR_FORMULIERUNGEN, operatoren_im_wortlaut
from engine.werkzeuge.engine_grenzen import pruefe_engine_grenzen
from engine.werkzeuge.logikpruefung import pruefe_logik
from engine.werkzeuge.quellen import pruefe_quellen


@dataclass
class Pruefbericht:
    meldungen: list[Meldung] = field(default_factory=list)
    regelbasis: Regelbasis | None = None
    geprueft: int = 0

    @property
    def fehler(self) -> list[Meldung]:
        return [m for m in self.meldungen if m.schwere == "fehler"]


def pruefe(pfade: list[Path] | None = None, heute: dt.date | None = None,
           fortschritt: Callable[[str], None] | None = None, szenario: list[Path] | None = None) -> Pruefbericht:
    """Alle Prüfungen; ``fortschritt`` bekommt vor jedem Abschnitt eine kurze deutsche Zeile (für lange Läufe).
    Mit ``szenario``: dieselben Prüfungen für die überlagerte Regelbasis (Szenario-Regeln wie geltende)."""
    melde = fortschritt or (lambda text: None)
    dateien = regeldateien([p for p in (pfade or [standard_regelverzeichnis()]) if p.exists()])
    melde(f"{len(dateien)} Regeldateien lesen und gemeinsam prüfen (Form, Verweise, Zeitachsen)")
    regelbasis, meldungen = sammle_regelbasis(pfade, szenario)
    bericht = Pruefbericht(list(meldungen), regelbasis)
    bericht.geprueft = len(dateien) + len(regeldateien(list(szenario or [])))
    if regelbasis is None:
        return bericht
    melde("Zitate, amtliche Quellen und Wortlaut ↔ Operator")
    for geladen in regelbasis.regeln.values():
        bericht.meldungen += pruefe_zitate(geladen)
        bericht.meldungen += pruefe_wortlaut(geladen)
        bericht.meldungen += pruefe_zeitachse(geladen)
        bericht.meldungen += pruefe_quellen(geladen)
    melde(f"durable-rules: Regelsätze von {len(regelbasis.laender())} Ländern registrieren (Kindprozess)")
    grenzen, nicht_auswertbar = pruefe_engine_grenzen(regelbasis, pfade, szenario)
    bericht.meldungen += grenzen
    melde("Logik: Lücken, Überschneidungen, Unerreichbares")
    bericht.meldungen += pruefe_logik(regelbasis, heute or dt.date.today(), frozenset(nicht_auswertbar))
    bericht.meldungen.sort(key=lambda m: (m.fundstelle.datei, m.fundstelle.zeile or 0, m.fundstelle.spalte or 0))
    return bericht


# ---------------------------------------------------------------- Wortlaut ↔ Operator

def _vergleiche_mit_pfad(b: Bedingung | None, pfad: tuple, unter_nicht: bool = False):
    if b is None:
        return
    if isinstance(b, Vergleich):
        yield b, pfad, unter_nicht
    elif isinstance(b, Alle):
        for i, t in enumerate(b.alle):
            yield from _vergleiche_mit_pfad(t, pfad + ("alle", i), unter_nicht)
    elif isinstance(b, Eine):
        for i, t in enumerate(b.eine):
            yield from _vergleiche_mit_pfad(t, pfad + ("eine", i), unter_nicht)
    elif isinstance(b, Nicht):
        yield from _vergleiche_mit_pfad(b.nicht, pfad + ("nicht",), not unter_nicht)


def pruefe_wortlaut(geladen: GeladeneRegel) -> list[Meldung]:
    regel, dok = geladen.regel, geladen.dokument
    meldungen = []
    for index, version in enumerate(regel.versionen):
        for v, pfad, unter_nicht in _vergleiche_mit_pfad(version.bedingung, ("versionen", index, "bedingung")):
            feld = FELDER.get(v.feld)
            if feld is None or feld.art not in ("zahl", "anteil") or v.op not in OPERATOR_FORMULIERUNGEN:
                continue
            wert = prozentwert(v.wert) if feld.art == "anteil" else v.wert
            # ohne wörtlichen Normtext wird die Inhaltsangabe geprüft (der Prüfstatus sagt dann, wie sicher sie ist)
            gefunden, ops = operatoren_im_wortlaut(version.zitat.wortlaut or version.zitat.inhalt, wert)
            stelle = dok.fundstelle(pfad + ("op",))
            if not gefunden:
                if not unter_nicht:  # „In anderen Gemeinden …“ nennt die Schwelle der Pflicht nicht noch einmal
                    meldungen.append(Meldung(
                        stelle, f"Die Schwelle {v.wert} steht nicht im zitierten Wortlaut.", schwere="warnung",
                        hinweis="Zitieren Sie den Satz, der die Schwelle enthält, oder prüfen Sie den Wert."))
                continue
            if not ops:
                meldungen.append(Meldung(
                    stelle, f"Vor der Schwelle {v.wert} steht im Wortlaut keine Vergleichsformulierung.", schwere="warnung",
                    hinweis="Erwartet z. B. „mehr als“ (gt), „mindestens“ (gte), „weniger als“ (lt), „höchstens“ (lte)."))
                continue
            if v.op not in ops:
                passend = " oder ".join(sorted(ops))
                formulierung = "/".join(f"„{f}“" for op in sorted(ops) for f in OPERATOR_FORMULIERUNGEN[op][:2])
                meldungen.append(Meldung(
                    stelle,
                    f"Operator {v.op} passt nicht zum Wortlaut: dort steht {formulierung} vor {v.wert}, also {passend}.",
                    hinweis=f"Setzen Sie op: {passend}; bei „in anderen Gemeinden“ die Bedingung mit nicht: umschließen.",
                ))
    return meldungen


# ---------------------------------------------------------------- Zitate: nur wörtlicher Text im wortlaut

# Angaben in quelle_wortlaut, die zeigen, dass der „Wortlaut“ nicht aus dem Normtext stammt
_KEIN_NORMTEXT = ("sinngemäss", "zusammenfassung", "nicht der richtlinientext", "kein richtlinientext", "nicht der normtext",
                  "kein normtext", "nicht eingesehen", "pressemitteilung", "presse", "recherche", "studie", "fachwissen",
                  "förderdatenbank", "faq", "wikipedia", "sekundär")


def pruefe_zitate(geladen: GeladeneRegel) -> list[Meldung]:
    """``wortlaut`` ist nur wörtlicher Norm- oder Richtlinientext; alles andere gehört nach ``inhalt``."""
    regel, dok = geladen.regel, geladen.dokument
    meldungen = []
    for index, version in enumerate(regel.versionen):
        z = version.zitat
        if not z.wortlaut:
            continue
        pfad = ("versionen", index, "zitat")
        if "sinngemäss" in z.wortlaut.casefold() or "[" in z.wortlaut[:2]:  # casefold: ß → ss
            meldungen.append(Meldung(
                dok.fundstelle(pfad + ("wortlaut",)), "Der Wortlaut ist als Umschreibung markiert.", schwere="warnung",
                hinweis="wortlaut enthält nur wörtlichen Normtext; eine Umschreibung gehört nach inhalt (mit quelle_inhalt)."))
        quelle = (z.quelle_wortlaut or "").casefold()  # ß → ss, daher die Liste in dieser Form
        treffer = next((m for m in _KEIN_NORMTEXT if m in quelle), None)
        if treffer and not geladen.regel.entwurf:  # ein Szenario zitiert seine Quelle (die Studie), keine Norm
            meldungen.append(Meldung(
                dok.fundstelle(pfad + ("quelle_wortlaut",)),
                f"Laut quelle_wortlaut („{treffer}“) stammt der Wortlaut nicht aus dem Normtext selbst.", schwere="warnung",
                hinweis="Zitieren Sie den Normtext (amtliche Fassung oder wörtliche Kopie) oder führen Sie den Satz als "
                "inhalt mit quelle_inhalt."))
    return meldungen


# ---------------------------------------------------------------- Zeitachse

def pruefe_zeitachse(geladen: GeladeneRegel) -> list[Meldung]:
    regel, dok = geladen.regel, geladen.dokument
    meldungen = []
    for index in range(1, len(regel.versionen)):
        vorher, jetzt = regel.versionen[index - 1], regel.versionen[index]
        if vorher.gueltig_bis is None:
            continue  # Überschneidung meldet schon regelbasis.py
        luecke = (jetzt.gueltig_ab - vorher.gueltig_bis).days - 1
        if luecke > 0 and not jetzt.luecke_davor:
            meldungen.append(Meldung(
                dok.fundstelle(("versionen", index, "gueltig_ab")),
                f"Zwischen {vorher.gueltig_bis:%d.%m.%Y} und {jetzt.gueltig_ab:%d.%m.%Y} liegen {luecke} Tage ohne Fassung.",
                hinweis="Ist die Lücke beabsichtigt, begründen Sie sie mit luecke_davor; sonst Daten anschließen.",
            ))
    return meldungen


__all__ = ["Pruefbericht", "pruefe", "pruefe_logik", "pruefe_engine_grenzen"]
