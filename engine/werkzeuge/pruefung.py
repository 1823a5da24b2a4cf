"""``regeln pruefen``: alle Befunde zu Regeldateien, mit Position, Schwere und Hinweis.

Neben Form und Verweisen (``regelbasis.py``) prüft dieses Modul:

* Wortlaut ↔ Operator („mehr als“ = gt, „mindestens“ = gte, …), ein Widerspruch ist ein Fehler;
* Zeitachsen: Lücken zwischen Fassungen müssen mit ``luecke_davor`` begründet sein;
* Logik je Land, Gegenstand und Kommunaltyp auf einem Gitter aller Grenzwerte und Stichtage:
  Lücken (keine Aussage), Überschneidungen (zwei Regeln entscheiden gleichzeitig verschieden),
  unerreichbare Regelfassungen – jeweils mit einem Gegenbeispiel, das sich als Regeltest einfügen lässt;
* die Grenzen von durable-rules je kompiliertem Regelsatz.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from pathlib import Path

from engine.regeln.logik import dnf
from engine.auswertung.bedingungen import Inferenz
from engine.begriffe import GEGENSTAENDE, LAENDER, Rolle, konkrete_typen
from engine.fehler import Fundstelle, Meldung
from engine.felder import FELDER, MERKMALE
from engine.kommunen.profil import Kommune
from engine.auswertung.referenz import ReferenzAuswerter
from engine.auswertung.kompilieren import kompiliere_land
from engine.regeln.basis import (GeladeneRegel, Regelbasis, regelbezuege, regeldateien, sammle_regelbasis,
                         standard_regelverzeichnis)
from engine.regeln.modell import Alle, Bedingung, Eine, Nicht, Vergleich, prozentwert
from engine.regeln.wortlaut import OPERATOR_FORMULIERUNGEN, operatoren_im_wortlaut

MAX_DURABLE_REGELN = 500  # durable-rules: < 512 Geschwister an einem Alpha-Knoten
MAX_GLEICHZEITIG = 64  # durable-rules: höchstens 64 gleichzeitig passende Zweige je Fakt (Fehler 303)
GITTER_GRENZE = 400_000  # Schutz vor kombinatorischer Explosion; darüber wird gewarnt statt gerechnet


@dataclass
class Pruefbericht:
    meldungen: list[Meldung] = field(default_factory=list)
    regelbasis: Regelbasis | None = None
    geprueft: int = 0

    @property
    def fehler(self) -> list[Meldung]:
        return [m for m in self.meldungen if m.schwere == "fehler"]


def pruefe(pfade: list[Path] | None = None, heute: dt.date | None = None) -> Pruefbericht:
    regelbasis, meldungen = sammle_regelbasis(pfade)
    bericht = Pruefbericht(list(meldungen), regelbasis)
    bericht.geprueft = len(regeldateien([p for p in (pfade or [standard_regelverzeichnis()]) if p.exists()]))
    if regelbasis is None:
        return bericht
    for geladen in regelbasis.regeln.values():
        bericht.meldungen += pruefe_zitate(geladen)
        bericht.meldungen += pruefe_wortlaut(geladen)
        bericht.meldungen += pruefe_zeitachse(geladen)
    bericht.meldungen += pruefe_logik(regelbasis, heute or dt.date.today())
    bericht.meldungen += pruefe_engine_grenzen(regelbasis)
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
        if treffer:
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


# ---------------------------------------------------------------- Logik: Lücken, Überschneidungen, Unerreichbares

def _literale(regelbasis: Regelbasis, land: str):
    for regel in regelbasis.fuer_land(land):
        for version in regel.versionen:
            for konj in dnf(version.bedingung):
                for lit in konj:
                    if lit.feld is not None:
                        yield lit


def _stuetzstellen(regelbasis: Regelbasis, land: str) -> tuple[list[int], dict[str, list], list[int]]:
    """Einwohner-Werte, Werte je weiterem Feld und ausländische Einwohner je Einwohnerzahl (an allen Schwellen)."""
    schwellen: dict[str, set] = {}
    for lit in _literale(regelbasis, land):
        schwellen.setdefault(lit.feld, set()).add(lit.wert)
    einwohner = {100_000}
    for w in schwellen.get("einwohner", ()):
        einwohner |= {max(1, w - 1), w, w + 1}
    werte: dict[str, list] = {}
    for feld, ws in schwellen.items():
        art = FELDER[feld].art
        if feld in ("einwohner", "auslaendische_einwohner", "auslaenderanteil", "typ"):
            continue
        if art == "wahrheitswert":
            werte[feld] = [False, True]
        elif art == "zahl":
            werte[feld] = sorted({0} | {x for w in ws for x in (w - 1, w, w + 1) if x >= 0})
    ae_schwellen = schwellen.get("auslaendische_einwohner", set())
    anteile = [prozentwert(w) for w in schwellen.get("auslaenderanteil", set())]
    ae_je_einwohner = {}
    for e in sorted(einwohner):
        kandidaten = {0, e}
        for w in ae_schwellen:
            kandidaten |= {x for x in (w - 1, w, w + 1) if 0 <= x <= e}
        for p in anteile:
            g = p * e / 100
            basis = g.numerator // g.denominator
            kandidaten |= {x for x in (basis - 1, basis, basis + 1, basis + 2) if 0 <= x <= e}
        ae_je_einwohner[e] = sorted(kandidaten)
    return sorted(einwohner), werte, ae_je_einwohner


def _stichtage(regeln, ab: dt.date, heute: dt.date) -> list[dt.date]:
    tage = {ab, heute}
    for regel in regeln:
        for v in regel.versionen:
            tage |= {v.gueltig_ab - dt.timedelta(days=1), v.gueltig_ab}
            if v.gueltig_bis:
                tage |= {v.gueltig_bis, v.gueltig_bis + dt.timedelta(days=1)}
    return sorted(t for t in tage if t >= ab)


def _profil_text(k: Kommune, tag: dt.date) -> str:
    teile = [f"land: {k.land}", f"typ: {k.typ}", f"einwohner: {k.einwohner}", f"auslaendische_einwohner: {k.auslaendische_einwohner}"]
    if k.merkmale:
        teile.append("merkmale: {" + ", ".join(f"{n}: {str(w).lower()}" for n, w in k.merkmale.items()) + "}")
    return f"stichtag: {tag.isoformat()}, profil: {{{', '.join(teile)}}}"


def pruefe_logik(regelbasis: Regelbasis, heute: dt.date) -> list[Meldung]:
    referenz = ReferenzAuswerter(regelbasis)
    meldungen: list[Meldung] = []
    gefeuert: set[tuple[str, int]] = set()
    erreichbar_geprueft: set[tuple[str, int]] = set()
    for land in regelbasis.laender():
        regeln = regelbasis.fuer_land(land)
        einwohner, werte, ae_je = _stuetzstellen(regelbasis, land)
        merkmal_namen = sorted(werte)
        for typ in LAENDER[land].typen:
            regeln_typ = [r for r in regeln if typ in konkrete_typen(r.typen)]
            for r in regeln_typ:
                erreichbar_geprueft |= {(r.id, i) for i in range(len(r.versionen))}
            gegenstaende = {r.gegenstand for r in regeln}
            for gegenstand in sorted(gegenstaende):
                eigene = [r for r in regeln_typ if r.gegenstand == gegenstand and r.rolle == Rolle.regel]
                if not eigene:
                    if GEGENSTAENDE[gegenstand].vollstaendig:
                        erste = min((r for r in regeln if r.gegenstand == gegenstand), key=lambda r: r.id)
                        meldungen.append(Meldung(
                            regelbasis.regeln[erste.id].dokument.fundstelle(("typen",), "typen"),
                            f"Lücke: Für {LAENDER[land].name}, Typ „{typ}“ gibt es keine Regel zum Gegenstand „{gegenstand}“.",
                            hinweis="Ergänzen Sie eine Regel – auch „keine landesrechtliche Pflicht; freiwillig möglich“ ist eine Aussage.",
                        ))
                    continue
            beginn = min(v.gueltig_ab for r in regeln_typ for v in r.versionen) if regeln_typ else heute
            tage = _stichtage(regeln_typ, beginn, heute)
            groesse = sum(len(ae_je[e]) for e in einwohner) * len(tage) * max(1, 1)
            for n in merkmal_namen:
                groesse *= len(werte[n])
            if groesse > GITTER_GRENZE:
                meldungen.append(Meldung(
                    Fundstelle(f"rules/{land}"), f"Logikprüfung für {land}/{typ} übersprungen: {groesse} Prüfpunkte.",
                    schwere="warnung"))
                continue
            luecken_gemeldet: set[str] = set()
            ueberschneidung_gemeldet: set[tuple] = set()
            for e in einwohner:
                for ae in ae_je[e]:
                    for kombi in itertools.product(*(werte[n] for n in merkmal_namen)):
                        merkmale = dict(zip(merkmal_namen, kombi))
                        k = Kommune(name="Prüfpunkt", land=land, typ=typ, einwohner=e, auslaendische_einwohner=ae,
                                    merkmale={n: w for n, w in merkmale.items() if n in MERKMALE})
                        for tag in tage:
                            inferenz = referenz.inferiere(k, tag)
                            gefeuert |= set(inferenz.tatbestaende.items())
                            for ziel, liste in inferenz.verdraengt.items():
                                gefeuert |= set(liste)
                            meldungen += _luecken_und_ueberschneidungen(
                                regelbasis, regeln_typ, k, tag, inferenz, luecken_gemeldet, ueberschneidung_gemeldet)
    for regel_id, index in sorted(erreichbar_geprueft - gefeuert):
        g = regelbasis.regeln[regel_id]
        meldungen.append(Meldung(
            g.dokument.fundstelle(("versionen", index)),
            f"Unerreichbar: Die Fassung {index} von „{regel_id}“ trifft auf keinem Prüfpunkt zu.",
            hinweis="Prüfen Sie Bedingung, Typen und Geltungszeitraum (und bei Ausnahmen die Zielregel).",
        ))
    return meldungen


def _luecken_und_ueberschneidungen(regelbasis, regeln_typ, k, tag, inferenz: Inferenz, luecken, ueberschneidungen):
    meldungen = []
    nach_gegenstand: dict[str, list] = {}
    for regel_id in inferenz.tatbestaende:
        regel = regelbasis.regel(regel_id)
        if regel_id in inferenz.verdraengt:
            continue
        nach_gegenstand.setdefault(regel.gegenstand, []).append(regel)
    for gegenstand in sorted({r.gegenstand for r in regeln_typ if r.rolle == Rolle.regel}):
        if not GEGENSTAENDE[gegenstand].vollstaendig:
            continue
        aktiv = [r for r in regeln_typ if r.gegenstand == gegenstand and r.version_am(tag) is not None]
        if not aktiv:
            continue  # zu diesem Tag gilt für den Gegenstand noch gar keine Regel dieses Typs
        if not nach_gegenstand.get(gegenstand) and not any(
            regelbasis.regel(r).gegenstand == gegenstand for r in inferenz.verdraengt
        ):
            schluessel = f"{k.typ}/{gegenstand}"
            if schluessel not in luecken:
                luecken.add(schluessel)
                erste = sorted(aktiv, key=lambda r: r.id)[0]
                meldungen.append(Meldung(
                    regelbasis.regeln[erste.id].dokument.fundstelle(("versionen",)),
                    f"Lücke: keine Aussage zu „{gegenstand}“ für dieses Profil. Gegenbeispiel (als Regeltest einfügbar): "
                    f"{{{_profil_text(k, tag)}}}",
                    hinweis="Ergänzen Sie die Regel für diesen Fall (z. B. das „kann“ für die übrigen Kommunen).",
                ))
    for gegenstand, geltende in nach_gegenstand.items():
        for a, b in itertools.combinations(sorted(geltende, key=lambda r: r.id), 2):
            if (a.art, a.verbindlichkeit) == (b.art, b.verbindlichkeit):
                continue
            if b.id in a.vereinbar_mit or a.id in b.vereinbar_mit:
                continue
            if _ist_auffang(a, b) or _ist_auffang(b, a):
                continue
            paar = (a.id, b.id)
            if paar in ueberschneidungen:
                continue
            ueberschneidungen.add(paar)
            meldungen.append(Meldung(
                regelbasis.regeln[a.id].dokument.fundstelle(("id",)),
                f"Überschneidung: „{a.id}“ ({_verb(a)}) und „{b.id}“ ({_verb(b)}) gelten "
                f"gleichzeitig. Gegenbeispiel (als Regeltest einfügbar): {{{_profil_text(k, tag)}}}",
                hinweis="Grenzen Sie die Bedingungen gegeneinander ab oder erklären Sie das Nebeneinander mit vereinbar_mit.",
            ))
    return meldungen


def _verb(regel) -> str:
    return regel.verbindlichkeit.value if regel.verbindlichkeit else "Hinweis"


def _ist_auffang(regel, ziel) -> bool:
    return any(b.regel == ziel.id for v in regel.versionen for b in regelbezuege(v.bedingung))


# ---------------------------------------------------------------- Grenzen von durable-rules

def pruefe_engine_grenzen(regelbasis: Regelbasis) -> list[Meldung]:
    meldungen = []
    for land in regelbasis.laender():
        satz = kompiliere_land(regelbasis, land)
        erste = sorted(r.id for r in regelbasis.fuer_land(land))[0]
        stelle = regelbasis.regeln[erste].dokument.fundstelle(("id",))
        if satz.anzahl_regeln() > MAX_DURABLE_REGELN:
            meldungen.append(Meldung(
                stelle, f"Der Regelsatz für {land} hat {satz.anzahl_regeln()} durable-rules-Regeln; erlaubt sind höchstens "
                f"{MAX_DURABLE_REGELN} (ab 512 hängt durable-rules).",
                hinweis="Teilen Sie die Regeln auf mehrere Gegenstände/Regelsätze auf."))
        # Obergrenze der gleichzeitig passenden Regeln: alle Regeln des Landes, deren Zeiträume sich überlappen können
        if satz.anzahl_regeln() - 1 > MAX_GLEICHZEITIG:
            meldungen.append(Meldung(
                stelle, f"Im Regelsatz für {land} könnten mehr als {MAX_GLEICHZEITIG} Regeln zugleich auf einen Fakt passen "
                "(durable-rules: Fehler 303).", schwere="warnung"))
    return meldungen


__all__ = ["Pruefbericht", "pruefe"]
