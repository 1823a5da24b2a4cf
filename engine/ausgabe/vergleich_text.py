"""Der Vergleich zweier Rechtsstände als Text (Terminal, Markdown-tauglich) und als Tabelle (CSV, XLSX).

Für eine Kommune: jede Änderung mit Norm. Für ein Land oder Deutschland: **ein Block je Regel** – darin je Art der
Änderung, wie viele Kommunen betroffen sind und welche (mit AGS) –, z. B. welche Gemeinden des Saarlands am
22.12.2023 aus der Soll-Pflicht zum Integrationsbeirat herausfielen, weil die Schwelle von 8 auf 10 vom Hundert stieg.

Ein Ergebnis, das am späteren Tag „offen“ ist (die Spanne der Schätzung überdeckt eine Schwelle oder eine Tatsache ist
unbekannt), „kommt nicht neu hinzu“: es steht als offen da, mit dem, wovon es abhängt.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from fractions import Fraction

from engine.ausgabe.ueberblick import datum
from engine.auswertung.vergleich import Aenderung
from engine.begriffe import LAENDER, Status
from engine.kommunen.profil import Kommune
from engine.zahlen import prozent, sichtbar, zahl


@dataclass
class Eintrag:
    kommune: Kommune
    aenderungen: list[Aenderung]


# (Art der Änderung, Status vorher bzw. nachher) → (Reihenfolge, Text für die Übersicht, Kurzwort für eine Kommune)
_ARTEN = {
    ("entfallen", Status.gilt): (0, "fallen heraus (vorher erfasst, jetzt nicht mehr)", "ENTFÄLLT"),
    ("entfallen", Status.entfaellt): (0, "fallen heraus (vorher erfasst, aber durch eine Ausnahme entfallen)",
                                      "ENTFÄLLT"),
    ("entfallen", Status.unbestimmt): (1, "waren offen (an einer Schwelle oder abhängig von einer Frage) und sind "
                                          "jetzt sicher nicht erfasst", "ENTFÄLLT (vorher offen)"),
    ("neu", Status.gilt): (2, "kommen neu hinzu", "NEU"),
    ("neu", Status.entfaellt): (2, "kommen neu hinzu, die Regel entfällt aber durch eine Ausnahme", "NEU"),
    ("neu", Status.unbestimmt): (3, "sind neu offen – nicht sicher erfasst: die Spanne der Schätzung überdeckt die "
                                    "Schwelle oder eine Tatsache ist unbekannt", "NEU OFFEN"),
    ("geaendert", None): (4, "", "GEÄNDERT"),
    ("abdeckungsbeginn", None): (5, "erst ab hier erfasst (keine Rechtsänderung)", "ERST AB HIER ERFASST"),
}


_IN_DER_ART = ("Status: ", "vorher: ")  # Einzelheiten, die die Art der Änderung schon sagt


def _art(a: Aenderung) -> tuple:
    if a.art == "neu":
        return ("neu", a.nachher.status)
    if a.art == "entfallen":
        return ("entfallen", a.vorher.status)
    return (a.art, None)


def art_text(a: Aenderung) -> str:
    """Die Art der Änderung in Worten (für Tabellen)."""
    text = _ARTEN[_art(a)][1]
    return text or "geändert"


def _kommune_kurz(k: Kommune) -> str:
    anteil = prozent(Fraction(100 * k.auslaendische_einwohner, k.einwohner), 1) if k.einwohner else "–"
    return (f"{k.ags or '':<8}  {k.name} ({zahl(k.einwohner)} Einwohner, {zahl(k.auslaendische_einwohner)} "
            f"ausländische, {anteil})")


def _einzeltext(a: Aenderung) -> str:
    seit = f", seit {a.seit:%d.%m.%Y}" if a.seit else ""
    einzelheiten = [e for e in a.einzelheiten if not e.startswith(_IN_DER_ART)]
    zusatz = f": {'; '.join(einzelheiten)}" if einzelheiten else ""
    return f"{_ARTEN[_art(a)][2]} – {a.regel.titel} ({a.norm}{seit}){zusatz}"


def text_kommune(eintrag: Eintrag, von: dt.date, bis: dt.date) -> list[str]:
    k = eintrag.kommune
    zeilen = [f"{k.name}{f' (AGS {k.ags})' if k.ags else ''}: Rechtsstand {datum(von)} → {datum(bis)}"]
    echte = [a for a in eintrag.aenderungen if a.art != "abdeckungsbeginn"]
    if not echte:
        zeilen.append("  keine Änderung der Ergebnisse")
    zeilen += [f"  {_einzeltext(a)}" for a in echte]
    erfasst = [a for a in eintrag.aenderungen if a.art == "abdeckungsbeginn"]
    if erfasst:
        zeilen.append(f"  ({len(erfasst)} Regel(n) erst ab ihrem geprüften Zeitraum erfasst – keine Rechtsänderung: "
                      + ", ".join(a.regel.titel for a in erfasst) + ")")
    return zeilen


def text_uebersicht(eintraege: list[Eintrag], von: dt.date, bis: dt.date, zeige: int = 50) -> list[str]:
    """Je Land ein Block je Regel (gleicher Titel = ein Block), darin die Gruppen gleichartiger Änderungen."""
    je_land: dict[str, list[Eintrag]] = defaultdict(list)
    for e in eintraege:
        je_land[e.kommune.land].append(e)
    zeilen = []
    for land in sorted(je_land, key=lambda c: LAENDER[c].name):
        liste = je_land[land]
        mit = [e for e in liste if any(a.art != "abdeckungsbeginn" for a in e.aenderungen)]
        zeilen += ["", f"{LAENDER[land].name}: {zahl(len(liste))} Kommunen, {zahl(len(mit))} mit Änderungen",
                   "=" * 60]
        bloecke: dict[str, dict[tuple, list[tuple[Kommune, Aenderung]]]] = defaultdict(lambda: defaultdict(list))
        erfasst = set()
        for e in liste:
            for a in e.aenderungen:
                if a.art == "abdeckungsbeginn":
                    erfasst.add(a.regel.titel)
                    continue
                einzelheiten = tuple(x for x in a.einzelheiten if not x.startswith(_IN_DER_ART))
                bloecke[a.regel.titel][(_art(a), a.norm_text, einzelheiten)].append((e.kommune, a))
        reihenfolge = sorted(bloecke, key=lambda t: (min(_ARTEN[s[0]][0] for s in bloecke[t]), t))
        for titel in reihenfolge:
            gruppen = bloecke[titel]
            ids = sorted({a.regel.id for treffer in gruppen.values() for _, a in treffer})
            zeilen += ["", f"{titel} ({', '.join(ids)})"]
            for schluessel in sorted(gruppen, key=lambda s: (_ARTEN[s[0]][0], s[1], s[2])):
                treffer = gruppen[schluessel]
                art, norm, einzelheiten = schluessel
                anzahl = f"{zahl(len(treffer))} {'Kommune' if len(treffer) == 1 else 'Kommunen'}"
                if art[0] == "geaendert":
                    zeilen.append(f"  bei {anzahl} geändert: {'; '.join(einzelheiten)}")
                else:
                    zeilen.append(f"  {anzahl} {_ARTEN[art][1]}" + (f" – {'; '.join(einzelheiten)}"
                                                                      if einzelheiten else ""))
                zeilen.append(f"    Norm: {norm}")
                for k, _ in sorted(treffer, key=lambda t: t[0].ags or t[0].name)[:zeige]:
                    zeilen.append("      " + _kommune_kurz(k))
                if len(treffer) > zeige:
                    zeilen.append(f"      … und {zahl(len(treffer) - zeige)} weitere (alle mit --ausgabe datei.xlsx)")
        if erfasst:
            zeilen += ["", "Erst ab ihrem geprüften Zeitraum erfasst (Beginn der Regelbasis, keine Rechtsänderung): "
                       + "; ".join(sorted(erfasst))]
    return zeilen


SPALTEN = ["AGS", "Kommune", "Land", "Regel", "Titel", "Änderung", "Einzelheiten", "Norm", "seit"]
ZUSAMMENFASSUNG_SPALTEN = ["Land", "Titel", "Regel", "Änderung", "Kommunen"]


def tabellenzeilen(eintraege: list[Eintrag]) -> list[list]:
    """Eine Zeile je Kommune und Änderung, mit Bezeichnungen statt Kennungen (Land, Art der Änderung)."""
    zeilen = []
    for e in eintraege:
        for a in e.aenderungen:
            k = e.kommune
            zeilen.append([k.ags or "", k.name, LAENDER[k.land].name if k.land in LAENDER else k.land, a.regel.id,
                           a.regel.titel, art_text(a), "; ".join(a.einzelheiten), a.norm, a.seit])
    return zeilen


def zusammenfassung(eintraege: list[Eintrag]) -> list[list]:
    zaehler = Counter((LAENDER[e.kommune.land].name, a.regel.titel, a.regel.id, art_text(a))
                      for e in eintraege for a in e.aenderungen)
    return [[*schluessel, n] for schluessel, n in sorted(zaehler.items())]


def csv_zeilen(eintraege: list[Eintrag]) -> list[list[str]]:
    zeilen = [SPALTEN] + [[w.strftime("%d.%m.%Y") if isinstance(w, dt.date) else w for w in z]
                          for z in tabellenzeilen(eintraege)]
    return [[sichtbar(str(w)) if w is not None else "" for w in zeile] for zeile in zeilen]


__all__ = ["Eintrag", "text_kommune", "text_uebersicht", "csv_zeilen", "tabellenzeilen", "zusammenfassung", "SPALTEN",
           "ZUSAMMENFASSUNG_SPALTEN", "art_text"]
