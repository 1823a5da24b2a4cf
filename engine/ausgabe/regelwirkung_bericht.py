"""Der Bericht „Was eine Regeländerung bewirkt“: Regelunterschiede in Worten, dann je Regel und Art der Wirkung
die Kommunen mit AGS und Zahlen, gezählt je Land und Größenklasse.

Formen: Text (Terminal), Markdown (als Kommentar zu einem Pull Request), CSV und XLSX (eine Zeile je Kommune, Regel
und Änderung, mit Spalte AGS), JSON (für Werkzeuge).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from engine.auswertung.betraege import euro
from engine.auswertung.regelwirkung import ARTEN, ARTEN_TEXT, Wirkung
from engine.auswertung.szenario import GROESSENKLASSEN, groessenklasse
from engine.auswertung.vergleich import STATUS_TEXT, Zustand
from engine.begriffe import KOMMUNALTYPEN, LAENDER, land_name
from engine.kommunen.profil import Kommune
from engine.regeln.basis import Regelbasis
from engine.regeln.unterschied import Regelaenderung
from engine.zahlen import prozent, sichtbar, zahl


@dataclass
class Wirkungsbericht:
    alt: str  # Beschreibung des alten Regelstands
    neu: str
    stichtag: dt.date
    regelbasis_alt: Regelbasis
    regelbasis_neu: Regelbasis
    regelaenderungen: list[Regelaenderung]
    laender: list[str]  # ausgewertete Länder
    kommunen: int  # ausgewertete Kommunen
    wirkungen: list[Wirkung] = field(default_factory=list)
    warnungen: int = 0  # Warnungen von regeln pruefen auf dem neuen Stand
    dauer: float = 0.0

    @property
    def keine_wirkung(self) -> bool:
        return not self.wirkungen

    def regel(self, rid: str):
        basis = self.regelbasis_neu if rid in self.regelbasis_neu.regeln else self.regelbasis_alt
        return basis.regel(rid)

    def norm(self, w: Wirkung, seite: str) -> str:
        zustand = w.vorher if seite == "alt" else w.nachher
        basis = self.regelbasis_alt if seite == "alt" else self.regelbasis_neu
        if zustand is None or w.regel_id not in basis.regeln:
            return ""
        return basis.regel(w.regel_id).versionen[zustand.version_index].zitat.norm


def _zustand(z: Zustand | None) -> str:
    return STATUS_TEXT[z.status] if z else "–"


def _betrag(z: Zustand | None) -> str:
    if z is None:
        return "–"
    if z.betrag is None:
        return "nicht pauschal bestimmbar"
    return f"{euro(z.betrag)} {'einmalig' if z.einmalig else 'je Jahr'}"


def gruppenkopf(w: Wirkung) -> str:
    """Die Art der Wirkung mit den Zuständen: „ENTFÄLLT (vorher: gilt)“, „STATUS gilt → offen“, „HÖHE … → …“."""
    if w.art == "neu":
        return f"NEU (jetzt: {_zustand(w.nachher)})"
    if w.art == "entfaellt":
        return f"ENTFÄLLT (vorher: {_zustand(w.vorher)})"
    if w.art == "status":
        return f"STATUS {_zustand(w.vorher)} → {_zustand(w.nachher)}"
    return f"HÖHE {_betrag(w.vorher)} → {_betrag(w.nachher)}"


def gruppen(bericht: Wirkungsbericht) -> dict[str, dict[str, list[Wirkung]]]:
    """Regel-id → Gruppenkopf → Wirkungen, Regeln in der Reihenfolge der Regeländerungen, Arten in fester Ordnung."""
    ergebnis: dict[str, dict[str, list[Wirkung]]] = defaultdict(lambda: defaultdict(list))
    for w in sorted(bericht.wirkungen, key=lambda w: (w.regel_id, ARTEN.index(w.art), gruppenkopf(w))):
        ergebnis[w.regel_id][gruppenkopf(w)].append(w)
    return ergebnis


def _anteil(k: Kommune) -> str:
    return prozent(Fraction(100 * k.auslaendische_einwohner, k.einwohner), 1) if k.einwohner else "–"


def _zahlen(k: Kommune) -> str:
    von, bis = k.spanne("auslaendische_einwohner")
    spanne = f" (Spanne {zahl(von)}–{zahl(bis)})" if (von, bis) != (k.auslaendische_einwohner,) * 2 else ""
    return f"{zahl(k.einwohner)} Einwohner, {zahl(k.auslaendische_einwohner)} ausländische{spanne}, {_anteil(k)}"


def _zaehlung(wirkungen: list[Wirkung]) -> str:
    je_land = Counter(w.kommune.land for w in wirkungen)
    je_klasse = Counter(groessenklasse(w.kommune.einwohner) for w in wirkungen)
    land = ", ".join(f"{l} {zahl(n)}" for l, n in sorted(je_land.items()))
    klassen = ", ".join(f"{name.split(' (')[0]} {zahl(je_klasse[name])}" for _, name in GROESSENKLASSEN if je_klasse[name])
    return f"je Land: {land}; je Größenklasse: {klassen}"


def als_text(bericht: Wirkungsbericht, markdown: bool = False, zeige: int = 30) -> str:
    """Text fürs Terminal oder Markdown für einen Review-Kommentar – beide mit denselben Abschnitten."""
    h1, h2, h3, punkt = ("# ", "## ", "### ", "- ") if markdown else ("", "", "", "  ")
    z = [f"{h1}Wirkung der Regeländerung – Rechtsstand {bericht.stichtag:%d.%m.%Y}", "",
         f"{punkt}alt: {bericht.alt}", f"{punkt}neu: {bericht.neu}",
         f"{punkt}ausgewertet: {zahl(bericht.kommunen)} Kommunen in "
         f"{', '.join(land_name(l) for l in bericht.laender) or 'keinem Land'}", ""]
    z += [f"{h2}Was sich an den Regeln ändert", ""]
    if not bericht.regelaenderungen:
        z += ["Keine Regel unterscheidet sich.", ""]
    for a in bericht.regelaenderungen:
        z.append(f"{punkt}**{a.text()}**" if markdown else a.text())
        z += [f"{'  - ' if markdown else '    '}{e}" for e in a.einzelheiten]
    z.append("")
    z += [f"{h2}Wirkung auf Kommunen", ""]
    if bericht.keine_wirkung:
        z += ["Keine Wirkung: kein Ergebnis einer Kommune ändert sich (Status und Förderhöhe gleich).", ""]
    for rid, je_kopf in gruppen(bericht).items():
        regel = bericht.regel(rid)
        z += [f"{h3}{regel.titel} ({rid})", ""]
        for kopf, liste in je_kopf.items():
            norm_alt, norm_neu = bericht.norm(liste[0], "alt"), bericht.norm(liste[0], "neu")
            norm = norm_neu if norm_alt in ("", norm_neu) else (f"{norm_alt} → {norm_neu}" if norm_neu else norm_alt)
            z.append(f"{'**' if markdown else ''}{kopf}: {zahl(len(liste))} Kommune{'n' if len(liste) != 1 else ''}"
                     f"{'**' if markdown else ''} – Norm: {norm}")
            z.append(f"{punkt}{_zaehlung(liste)}")
            if markdown:
                z += ["", "| AGS | Kommune | Typ | Land | Zahlen |", "|---|---|---|---|---|"]
                z += [f"| {w.kommune.ags or ''} | {_md(w.kommune.name)} | {KOMMUNALTYPEN[w.kommune.typ].bezeichnung} | "
                      f"{w.kommune.land} | {_zahlen(w.kommune)} |" for w in liste[:zeige]]
            else:
                z += [f"    {w.kommune.ags or '':<8}  {w.kommune.name} ({KOMMUNALTYPEN[w.kommune.typ].bezeichnung}, "
                      f"{w.kommune.land}; {_zahlen(w.kommune)})" for w in liste[:zeige]]
            if len(liste) > zeige:
                z.append(f"{punkt}… und {zahl(len(liste) - zeige)} weitere (alle in der CSV/XLSX: --ausgabe x.csv)")
            z.append("")
    if bericht.warnungen:
        z += [f"Hinweis: „regeln pruefen“ meldet auf dem neuen Stand {zahl(bericht.warnungen)} Warnung(en).", ""]
    return sichtbar("\n".join(z).rstrip() + "\n")


def _md(text: str) -> str:
    return text.replace("|", "\\|")


SPALTEN = ["AGS", "Name", "Land", "Kommunaltyp", "Einwohner", "Ausländische Einwohner (Schätzung)", "von", "bis",
           "Regel", "Titel", "Änderung", "Status alt", "Status neu", "Höchstbetrag alt (Euro)",
           "Höchstbetrag neu (Euro)", "Norm alt", "Norm neu", "Stichtag"]


def zeilen(bericht: Wirkungsbericht) -> list[list]:
    """Eine Zeile je Kommune, Regel und Änderung (Zahlen als Zahlen, AGS als Text)."""
    ergebnis = []
    for w in bericht.wirkungen:
        k = w.kommune
        von, bis = k.spanne("auslaendische_einwohner")
        ergebnis.append([
            k.ags or "", k.name, LAENDER[k.land].name if k.land in LAENDER else k.land, KOMMUNALTYPEN[k.typ].bezeichnung,
            k.einwohner, k.auslaendische_einwohner, von, bis, w.regel_id, bericht.regel(w.regel_id).titel,
            ARTEN_TEXT[w.art], _zustand(w.vorher), _zustand(w.nachher),
            w.vorher.betrag if w.vorher and w.vorher.betrag is not None else "",
            w.nachher.betrag if w.nachher and w.nachher.betrag is not None else "",
            bericht.norm(w, "alt"), bericht.norm(w, "neu"), f"{bericht.stichtag:%d.%m.%Y}"])
    return ergebnis


def als_csv(bericht: Wirkungsbericht) -> str:
    """Für deutsches Excel: Semikolon, UTF-8 mit BOM (der Schreiber setzt die BOM)."""
    puffer = io.StringIO()
    schreiber = csv.writer(puffer, delimiter=";", lineterminator="\r\n")
    schreiber.writerow(SPALTEN)
    schreiber.writerows(zeilen(bericht))
    return "\ufeff" + puffer.getvalue()


def als_json(bericht: Wirkungsbericht) -> str:
    daten = {
        "alt": bericht.alt, "neu": bericht.neu, "stichtag": bericht.stichtag.isoformat(),
        "laender": bericht.laender, "kommunen_ausgewertet": bericht.kommunen, "keine_wirkung": bericht.keine_wirkung,
        "regelaenderungen": [{"art": a.art, "regel": a.regel_id, "land": a.land, "titel": a.titel,
                              "einzelheiten": a.einzelheiten} for a in bericht.regelaenderungen],
        "wirkungen": [dict(zip(["ags", "name", "land", "kommunaltyp", "einwohner", "auslaendische_einwohner",
                                "auslaendische_einwohner_von", "auslaendische_einwohner_bis", "regel", "titel",
                                "aenderung", "status_alt", "status_neu", "hoechstbetrag_alt", "hoechstbetrag_neu",
                                "norm_alt", "norm_neu", "stichtag"], z)) for z in zeilen(bericht)],
        "zusammenfassung": [{"regel": rid, "aenderung": kopf, "kommunen": len(liste),
                             "je_land": dict(Counter(w.kommune.land for w in liste))}
                            for rid, je_kopf in gruppen(bericht).items() for kopf, liste in je_kopf.items()],
    }
    for w in daten["wirkungen"]:
        w["aenderung"] = {"NEU": "neu", "ENTFÄLLT": "entfaellt", "STATUS": "status", "HÖHE": "hoehe"}[w["aenderung"]]
        w["stichtag"] = bericht.stichtag.isoformat()
        for feld in ("hoechstbetrag_alt", "hoechstbetrag_neu"):
            w[feld] = None if w[feld] == "" else w[feld]
    return json.dumps(daten, ensure_ascii=False, indent=2) + "\n"


def als_xlsx(bericht: Wirkungsbericht) -> bytes:
    """Zwei Blätter in der gemeinsamen Excel-Form (``tabelle_xlsx``): „Wirkung“ (eine Zeile je Kommune, Regel und
    Änderung) und „Zusammenfassung“ (je Regel und Art der Änderung, mit Zahl je Land)."""
    from engine.ausgabe.tabelle_xlsx import Tabelle, arbeitsmappe

    angaben = [("alt", bericht.alt), ("neu", bericht.neu), ("Stichtag", f"{bericht.stichtag:%d.%m.%Y}"),
               ("ausgewertet", f"{zahl(bericht.kommunen)} Kommunen in {', '.join(bericht.laender)}")]
    summe = [[rid, bericht.regel(rid).titel, kopf, len(liste),
              ", ".join(f"{l} {n}" for l, n in sorted(Counter(w.kommune.land for w in liste).items()))]
             for rid, je_kopf in gruppen(bericht).items() for kopf, liste in je_kopf.items()]
    return arbeitsmappe([Tabelle("Wirkung", SPALTEN, zeilen(bericht), angaben),
                         Tabelle("Zusammenfassung", ["Regel", "Titel", "Änderung", "Kommunen", "je Land"], summe, angaben)],
                        "Wirkung einer Regeländerung", f"Stichtag {bericht.stichtag:%d.%m.%Y}")


__all__ = ["Wirkungsbericht", "als_text", "als_csv", "als_json", "als_xlsx", "zeilen", "gruppen", "SPALTEN"]
