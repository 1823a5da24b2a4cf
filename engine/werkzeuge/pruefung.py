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
import os
import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from engine.regeln.logik import dnf
from engine.auswertung.bedingungen import Inferenz
from engine.begriffe import GEGENSTAENDE, LAENDER, Art, Rolle, konkrete_typen
from engine.fehler import Fundstelle, Meldung
from engine.felder import FELDER, MERKMALE, OBERGRENZE_EINWOHNER
from engine.kommunen.profil import Kommune
from engine.auswertung.referenz import ReferenzAuswerter
from engine.auswertung.kompilieren import epochen, kompiliere_land
from engine.regeln.basis import (GeladeneRegel, Regelbasis, regelbezuege, regeldateien, sammle_regelbasis,
                         standard_regelverzeichnis)
from engine.regeln.modell import Alle, Bedingung, Eine, Nicht, Vergleich, prozentwert
from engine.regeln.wortlaut import OPERATOR_FORMULIERUNGEN, operatoren_im_wortlaut
from engine.zahlen import zahl
from engine.werkzeuge.quellen import pruefe_quellen

MAX_DURABLE_REGELN = 500  # durable-rules: < 512 Geschwister an einem Alpha-Knoten
GITTER_GRENZE = 400_000  # Schutz vor kombinatorischer Explosion; darüber wird gewarnt statt gerechnet
# Schritte = Prüfpunkte × beteiligte Regeln; die mitgelieferte Regelbasis braucht rund 13.000 (größte Gruppe 1.280),
# ein Schritt kostet einige Mikrosekunden – so bleibt die Logikprüfung auch bei feindlichen Regeln unter ~5 s.
AUFWAND_JE_GRUPPE = 250_000
AUFWAND_GESAMT = 600_000


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


# ---------------------------------------------------------------- Logik: Lücken, Überschneidungen, Unerreichbares

def _stuetzstellen(regeln) -> tuple[list[int], dict[str, list], dict[int, list[int]]]:
    """Einwohner-Werte, Werte je Merkmal und ausländische Einwohner je Einwohnerzahl (an allen Schwellen der Regeln)."""
    schwellen: dict[str, set] = {}
    for regel in regeln:
        for version in regel.versionen:
            for konj in dnf(version.bedingung):
                for lit in konj:
                    if lit.feld is not None:
                        for w in (lit.wert if isinstance(lit.wert, list) else [lit.wert]):
                            schwellen.setdefault(lit.feld, set()).add(w)
    einwohner = {100_000}
    for w in schwellen.get("einwohner", ()):
        einwohner |= {x for x in (w - 1, w, w + 1) if 1 <= x <= OBERGRENZE_EINWOHNER}
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
    """Die Anfänge der Zeitabschnitte, in denen sich keine der Fassungen ändert (ab ``ab``), und heute."""
    tage = {ab, heute}
    for regel in regeln:
        for v in regel.versionen:
            tage.add(v.gueltig_ab)
            if v.gueltig_bis and v.gueltig_bis < dt.date.max:
                tage.add(v.gueltig_bis + dt.timedelta(days=1))
    return sorted(t for t in tage if t >= ab)


def _profil_text(k: Kommune, tag: dt.date) -> str:
    teile = [f"land: {k.land}", f"typ: {k.typ}", f"einwohner: {k.einwohner}", f"auslaendische_einwohner: {k.auslaendische_einwohner}"]
    if k.merkmale:
        teile.append("merkmale: {" + ", ".join(f"{n}: {str(w).lower()}" for n, w in k.merkmale.items()) + "}")
    return f"stichtag: {tag.isoformat()}, profil: {{{', '.join(teile)}}}"


def _huelle(regelbasis: Regelbasis, start: list, alle_typ: list) -> list:
    """Die Regeln, von denen die Regeln in ``start`` abhängen: ihre Ausnahmen und die Regeln, auf die sie sich beziehen
    (samt deren Ausnahmen) – nur sie bestimmen, was zu diesem Gegenstand gilt."""
    nach_id = {r.id: r for r in alle_typ}
    ausnahmen: dict[str, list] = {}
    for r in alle_typ:
        for ziel in r.ausnahme_zu:
            ausnahmen.setdefault(ziel, []).append(r)
    gesehen: dict[str, object] = {}
    offen = list(start)
    while offen:
        r = offen.pop()
        if r.id in gesehen:
            continue
        gesehen[r.id] = r
        offen += ausnahmen.get(r.id, [])
        for v in r.versionen:
            for b in regelbezuege(v.bedingung):
                for rid in (b.regel, b.durch):
                    if rid in nach_id:
                        offen.append(nach_id[rid])
    return list(gesehen.values())


def pruefe_logik(regelbasis: Regelbasis, heute: dt.date, auslassen: frozenset[str] = frozenset()) -> list[Meldung]:
    """Je Land, Kommunaltyp und Gegenstand auf einem Gitter aller Schwellen, Merkmalswerte und Zeitabschnitte der
    beteiligten Regeln: Lücken, Überschneidungen und unerreichbare Fassungen – mit einem Gegenbeispiel.

    Begrenzt in Schritten (Prüfpunkte × beteiligte Regeln), nicht in Sekunden, damit das Ergebnis nicht von der
    Maschine abhängt; was übersprungen wird, steht als Warnung da und zählt nie als „unerreichbar“. Länder in
    ``auslassen`` (von durable-rules abgelehnt) werden nicht geprüft: ihr Fehler ist schon gemeldet."""
    referenz = ReferenzAuswerter(regelbasis)
    meldungen: list[Meldung] = []
    gefeuert: set[tuple[str, int]] = set()
    erreichbar_geprueft: set[tuple[str, int]] = set()
    verbraucht = 0
    for land in regelbasis.laender():
        regeln = regelbasis.fuer_land(land)
        for typ in LAENDER[land].typen:
            regeln_typ = [r for r in regeln if typ in konkrete_typen(r.typen)]
            for gegenstand in sorted({r.gegenstand for r in regeln}):
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
                beteiligt = _huelle(regelbasis, eigene, regeln_typ)
                nur = {r.id for r in beteiligt}
                einwohner, werte, ae_je = _stuetzstellen(beteiligt)
                merkmal_namen = sorted(n for n in werte if n in MERKMALE)
                beginn = min(v.gueltig_ab for r in beteiligt for v in r.versionen)
                tage = _stichtage(beteiligt, beginn, heute)
                groesse = sum(len(ae_je[e]) for e in einwohner) * len(tage)
                for n in merkmal_namen:
                    groesse *= len(werte[n])
                aufwand = groesse * len(beteiligt)
                grund = None
                if land in auslassen:
                    grund = "der Regelsatz des Landes ist in durable-rules nicht auswertbar (siehe Fehler)"
                elif groesse > GITTER_GRENZE or aufwand > AUFWAND_JE_GRUPPE:
                    grund = (f"{zahl(groesse)} Prüfpunkte × {len(beteiligt)} Regeln = {zahl(aufwand)} Schritte "
                             f"(höchstens {zahl(GITTER_GRENZE)} Prüfpunkte und {zahl(AUFWAND_JE_GRUPPE)} Schritte)")
                elif verbraucht + aufwand > AUFWAND_GESAMT:
                    grund = f"das Gesamtbudget von {zahl(AUFWAND_GESAMT)} Schritten ist verbraucht"
                if grund is not None:
                    if land not in auslassen:
                        meldungen.append(Meldung(
                            Fundstelle(str(Path(regelbasis.regeln[beteiligt[0].id].dokument.datei).parent)),
                            f"Logikprüfung für {land}/{typ}/{gegenstand} übersprungen: {grund}; Lücken, "
                            "Überschneidungen und Erreichbarkeit dieser Regeln sind nicht geprüft.", schwere="warnung",
                            hinweis="Weniger Schwellen, Regeln oder Merkmale je Gegenstand machen die Prüfung wieder "
                                    "möglich."))
                    continue
                verbraucht += aufwand
                for r in beteiligt:
                    if typ in konkrete_typen(r.typen):
                        erreichbar_geprueft |= {(r.id, i) for i in range(len(r.versionen))}
                luecken_gemeldet: set[str] = set()
                ueberschneidung_gemeldet: set[tuple] = set()
                for e in einwohner:
                    for ae in ae_je[e]:
                        for kombi in itertools.product(*(werte[n] for n in merkmal_namen)):
                            k = Kommune(name="Prüfpunkt", land=land, typ=typ, einwohner=e, auslaendische_einwohner=ae,
                                        merkmale=dict(zip(merkmal_namen, kombi)))
                            for tag in tage:
                                inferenz = referenz.inferiere(k, tag, nur=nur)
                                gefeuert |= set(inferenz.tatbestaende.items())
                                for liste in inferenz.verdraengt.values():
                                    gefeuert |= set(liste)
                                meldungen += _luecken_und_ueberschneidungen(
                                    regelbasis, [r for r in regeln_typ if r.gegenstand == gegenstand], k, tag, inferenz,
                                    luecken_gemeldet, ueberschneidung_gemeldet)
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
            if a.entwurf != b.entwurf:  # ein Szenario überlagert geltendes Recht: gewollt, aber sichtbar
                entwurf, geltend = (a, b) if a.entwurf else (b, a)
                if geltend.art == Art.hinweis and geltend.verbindlichkeit is None:
                    continue  # ein reiner Hinweis („kein Landesprogramm“) widerspricht keinem Entwurf
                meldungen.append(Meldung(
                    regelbasis.regeln[entwurf.id].dokument.fundstelle(("id",)),
                    f"Szenario: „{entwurf.id}“ ({_verb(entwurf)}) gilt neben der geltenden Regel „{geltend.id}“ "
                    f"({_verb(geltend)}). Beispiel: {{{_profil_text(k, tag)}}}", schwere="warnung",
                    hinweis="Gewollt, wenn das Szenario das geltende Recht ergänzt; sonst ersetzen Sie die Regel mit "
                            "derselben id."))
                continue
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

PROBE_SEKUNDEN = 60


def pruefe_engine_grenzen(regelbasis: Regelbasis, pfade: list[Path] | None,
                          szenario: list[Path] | None = None) -> tuple[list[Meldung], set[str]]:
    """Statisch: Regelsatzgröße je Land und Zeitabschnitt (die Länge von in-Listen begrenzt schon ``regeln.basis``). Dynamisch, im Kindprozess: jeden
    Regelsatz in durable-rules anlegen und an Prüfpunkten auswerten – was durable ablehnt, abstürzt oder hängt, ist
    ein Fehler mit Land und Grund (statt eines Absturzes von ``check``). Gibt auch die betroffenen Länder zurück."""
    meldungen = []
    laender: set[str] = set()
    for land in regelbasis.laender():
        erste = sorted(r.id for r in regelbasis.fuer_land(land))[0]
        stelle = regelbasis.regeln[erste].dokument.fundstelle(("id",))
        for beginn in epochen(regelbasis, land):
            satz = kompiliere_land(regelbasis, land, max(beginn, dt.date(1, 1, 2)))
            if satz.anzahl_regeln() > MAX_DURABLE_REGELN:
                meldungen.append(Meldung(
                    stelle, f"Der Regelsatz für {land} ab {beginn:%d.%m.%Y} hat {satz.anzahl_regeln()} durable-rules-Regeln; "
                    f"erlaubt sind höchstens {MAX_DURABLE_REGELN}.",
                    hinweis="Teilen Sie die Regeln auf oder fassen Sie gleichartige Fassungen zusammen."))
                laender.add(land)
    if not laender:
        befunde, laender = _probe(pfade, szenario, regelbasis)
        meldungen += befunde
    return meldungen, laender


def _probe(pfade: list[Path] | None, szenario: list[Path] | None = None,
           regelbasis: Regelbasis | None = None) -> tuple[list[Meldung], set[str]]:
    befehl = [sys.executable, "-m", "engine.werkzeuge.durable_probe", *[str(Path(p).resolve()) for p in (pfade or [])]]
    if szenario:
        befehl += ["--szenario", *[str(Path(p).resolve()) for p in szenario]]
    ort = Fundstelle(", ".join(str(p) for p in pfade) if pfade else "rules")
    try:
        lauf = subprocess.run(befehl, capture_output=True, text=True, timeout=PROBE_SEKUNDEN,
                              cwd=str(Path(__file__).resolve().parents[2]))
    except subprocess.TimeoutExpired as exc:
        zuletzt, land = _letzter_start(exc.stdout or "")
        return [Meldung(ort, f"durable-rules hängt beim Auswerten des Regelsatzes {zuletzt} (nach {PROBE_SEKUNDEN} s "
                        "abgebrochen).", hinweis="Vereinfachen Sie die Bedingungen dieses Landes (lange in-Listen, "
                        "viele gleichartige Regeln).")], ({land} if land else set())
    meldungen = []
    laender: set[str] = set()
    je_land: dict[tuple, Meldung] = {}  # ein Befund je Land und Kipp-Regel; weitere Zeitabschnitte werden gezählt
    weitere: dict[tuple, int] = {}
    for zeile in lauf.stdout.splitlines():
        try:
            eintrag = json.loads(zeile)
        except ValueError:
            continue
        if "befund" in eintrag:
            b = eintrag["befund"]
            schluessel = (b["land"], b.get("regel"), b["text"].split(" – ")[-1])
            if schluessel in je_land:
                weitere[schluessel] = weitere.get(schluessel, 0) + 1
                continue
            grund = b["text"].replace(" Prüfen Sie die Regeln mit „kommunalpflichten regeln pruefen“.", "")
            text = f"Regelsatz {b['land']} ab {_datum(b['beginn'])}: {grund}"
            stelle = ort
            if b.get("regel") and regelbasis is not None and b["regel"] in regelbasis.regeln:
                stelle = regelbasis.regeln[b["regel"]].dokument.fundstelle(("id",))
                text += (f" Der Regelsatz kippt mit der Regel „{b['regel']}“ ({b['position']}. von {b['von']} Regeln "
                         f"des Landes in Id-Reihenfolge): bis zur Regel davor wertet durable-rules ihn aus.")
            je_land[schluessel] = Meldung(stelle, text)
            meldungen.append(je_land[schluessel])
            laender.add(b["land"])
        elif "nicht_verfuegbar" in eintrag:
            meldungen.append(Meldung(ort, f"Grenzen von durable-rules nicht geprüft: {eintrag['nicht_verfuegbar']}.",
                                     schwere="warnung"))
    for schluessel, anzahl in weitere.items():
        je_land[schluessel].text += f" Ebenso in {anzahl} weiteren Zeitabschnitt{'en' if anzahl > 1 else ''}."
    if lauf.returncode != 0:
        signal = f"Signal {-lauf.returncode}" if lauf.returncode < 0 else f"Exit-Code {lauf.returncode}"
        zuletzt, land = _letzter_start(lauf.stdout)
        meldungen.append(Meldung(ort, f"durable-rules ist beim Prüfen des Regelsatzes {zuletzt} "
                                 f"abgestürzt ({signal}).", hinweis="Dieser Regelsatz würde auch „check“ abbrechen; "
                                 "vereinfachen Sie seine Bedingungen."))
        if land:
            laender.add(land)
    return meldungen, laender


def _letzter_start(ausgabe: str | bytes) -> tuple[str, str | None]:
    """Der zuletzt begonnene Regelsatz des Kindprozesses (für Hänger und Abstürze): Beschreibung und Land."""
    for zeile in reversed(ausgabe.splitlines() if isinstance(ausgabe, str) else ausgabe.decode().splitlines()):
        if '"start"' in zeile:
            start = json.loads(zeile)["start"]
            return f"{start['land']} ab {_datum(start['beginn'])}", start["land"]
    return "(unbekannt)", None


def _datum(iso: str) -> str:
    return dt.date.fromisoformat(iso).strftime("%d.%m.%Y")


__all__ = ["Pruefbericht", "pruefe"]
