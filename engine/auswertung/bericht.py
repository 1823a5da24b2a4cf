"""Auswertung einer Kommune an einem Stichtag: Inferenz (durable-rules) plus Erklärung mit Zitaten.

Die Entscheidung, welche Tatbestände erfüllt und welche Regeln verdrängt sind, kommt allein aus der
Inferenz. Die Erklärung rechnet die Bedingungen zur Darstellung nach und bricht mit einem ``EngineFehler``
ab, falls sie der Inferenz widerspricht – so fällt jede Abweichung zwischen Compiler und Semantik auf.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol

from engine.auswertung import varianten as _varianten
from engine.auswertung.abdeckung import BeendetesProgramm, beendete_programme, luecken
from engine.auswertung.bedingungen import Inferenz, abstand, begruende, erfuellt
from engine.auswertung.betraege import Betrag, berechne, naechste_frist
from engine.auswertung.beurteilung import OffeneFrage, Vorbehalt, beurteile_alle
from engine.begriffe import GEGENSTAENDE, KOMMUNALTYPEN, Art, Rolle, Status, Verbindlichkeit, \
    konkrete_typen
from engine.fehler import EngineFehler
from engine.felder import FELDER
from engine.kommunen.profil import Kommune
from engine.regeln.basis import Regelbasis
from engine.regeln.logik import dnf
from engine.regeln.modell import Regel, Version, Zitat
from engine.zahlen import zahl


class Auswerter(Protocol):
    """durable-rules (``durable.DurableAuswerter``) oder das Orakel (``referenz.ReferenzAuswerter``)."""

    name: str

    def inferiere_plan(self, plan: "_varianten.Plan", stichtag: dt.date, zwischenspeicher: dict | None = None
                       ) -> list[Inferenz]: ...


@dataclass
class AusnahmePruefung:
    regel: str
    titel: str
    greift: bool
    begruendung: list[str]
    zitat: Zitat


@dataclass
class Foerderangaben:
    betrag: "Betrag"
    naechste_frist: dt.date | None
    laeuft_aus: dt.date | None  # Ende der Programmfassung, wenn es innerhalb von AUSLAUF_TAGE liegt


AUSLAUF_TAGE = 183  # „läuft bald aus“: Ende innerhalb eines halben Jahres nach dem Stichtag


@dataclass
class Ergebnis:
    regel: Regel
    version_index: int
    status: Status
    begruendung: list[str]
    ausnahmen: list[AusnahmePruefung] = field(default_factory=list)
    foerderung: Foerderangaben | None = None
    offen: list[OffeneFrage] = field(default_factory=list)  # wovon ein unbestimmtes Ergebnis abhängt
    vorbehalte: list[Vorbehalt] = field(default_factory=list)  # Ausnahmen mit unbekannter Voraussetzung

    @property
    def version(self) -> Version:
        return self.regel.versionen[self.version_index]

    @property
    def rechtsfolge(self) -> str:
        return self.version.rechtsfolge or self.regel.rechtsfolge

    @property
    def norm_vorbehalt(self) -> str | None:
        """„Norm nicht ermittelt – Zuständigkeit belegt durch …“: eine belegte Zuständigkeit ohne gefundene Norm ist
        keine schlichte Pflicht; jede Ausgabe zeigt den Vorbehalt an der Marke und im Text."""
        z = self.version.zitat
        if z.norm_ermittelt:
            return None
        return f"Norm nicht ermittelt – Zuständigkeit belegt durch {z.zustaendigkeit_belegt_durch}"


@dataclass
class NichtErfuellt:
    regel: Regel
    version_index: int
    begruendung: list[str]
    abstand: list[str]


@dataclass
class Bericht:
    kommune: Kommune
    stichtag: dt.date
    ergebnisse: list[Ergebnis]
    nicht_erfuellt: list[NichtErfuellt]
    regelbasis: Regelbasis
    luecken: list[str] = field(default_factory=list)  # Gegenstände, zu denen die Regelbasis für diese Kommune nichts sagt
    beendete_programme: list[BeendetesProgramm] = field(default_factory=list)
    unbekannte_merkmale: tuple[str, ...] = ()  # unbekannt, und eine Regel des Landes fragt danach
    auswerter: str = ""
    demnaechst: list = field(default_factory=list)  # vergleich.Demnaechst: Änderungen, Fristen, Enden in 12 Monaten


_ART_ORDNUNG = {Art.pflicht: 0, Art.foerderung: 1, Art.hinweis: 2}
_VERB_ORDNUNG = {Verbindlichkeit.muss: 0, Verbindlichkeit.soll: 1, Verbindlichkeit.kann: 2, None: 3}
_GEGENSTAND_ORDNUNG = {g: i for i, g in enumerate(GEGENSTAENDE)}  # Reihenfolge der Definition in begriffe.py
_STATUS_ORDNUNG = {Status.gilt: 0, Status.unbestimmt: 1, Status.entfaellt: 2}


def _titel_von(regelbasis: Regelbasis):
    def titel(regel_id: str) -> str:
        regel = regelbasis.regel(regel_id)
        norm = regel.versionen[-1].zitat.norm
        return f"{regel.titel} ({norm})"

    return titel


def _kontext_zeilen(regel: Regel, version: Version, kommune: Kommune) -> list[str]:
    """Je Regel, Fassung und Kommunaltyp einmal gebaut (die Massenauswertung braucht sie 100.000-mal)."""
    schluessel = (id(regel), id(version), kommune.typ)
    treffer = _KONTEXT.get(schluessel)
    if treffer is None or treffer[0] is not regel or treffer[1] is not version:
        typen = ", ".join(KOMMUNALTYPEN[t].bezeichnung for t in regel.typen)
        bis = f" bis {version.gueltig_bis:%d.%m.%Y}" if version.gueltig_bis else ""
        if len(_KONTEXT) > 10_000:
            _KONTEXT.clear()
        treffer = _KONTEXT[schluessel] = (regel, version, [
            f"Kommunaltyp: {KOMMUNALTYPEN[kommune.typ].bezeichnung} (Regel gilt für: {typen})",
            f"Fassung gültig ab {version.gueltig_ab:%d.%m.%Y}{bis}",
        ])
    return list(treffer[2])


_KONTEXT: dict[tuple, tuple] = {}  # (id(Regel), id(Fassung), Typ) → (Regel, Fassung, Zeilen); Regel und Fassung halten die ids


@dataclass
class Auswertung:
    """Was ein Bericht aus der Inferenz liest: Stützpunkte, Inferenz je Stützpunkt, Beurteilung je Regel. In der
    Massenauswertung sind Inferenzen und Beurteilungen geteilte Objekte des Zwischenspeichers (gleiche Klassen ⇒
    dasselbe Objekt)."""

    plan: "_varianten.Plan"
    inferenzen: list[Inferenz]
    beurteilungen: dict  # Regel-id → Beurteilung
    titel: object  # Regel-id → „Titel (Norm)“, für Begründungen mit Regelbezug
    unbekannt: frozenset  # die unbekannten Merkmale des Plans


def werte_aus(kommune: Kommune, stichtag: dt.date, regelbasis: Regelbasis, auswerter: Auswerter,
              zwischenspeicher: dict | None = None) -> Auswertung:
    """Stützpunkte planen, an jedem inferieren (durable-rules), je Regel beurteilen."""
    plan = _varianten.plane(kommune, regelbasis)
    inferenzen = auswerter.inferiere_plan(plan, stichtag, zwischenspeicher)
    return Auswertung(plan, inferenzen, beurteile_alle(plan, inferenzen, regelbasis, zwischenspeicher),
                      _titel_von(regelbasis), frozenset(plan.unbekannt))


def erstelle_bericht(kommune: Kommune, stichtag: dt.date, regelbasis: Regelbasis, auswerter: Auswerter,
                     zwischenspeicher: dict | None = None) -> Bericht:
    """Bericht für eine Kommune: ausgewertet an allen Stützpunkten (Zahlenspannen, unbekannte Merkmale).
    ``zwischenspeicher`` teilt gleichwertige Inferenzen über viele Kommunen (Massenauswertung)."""
    return bericht_aus(kommune, stichtag, regelbasis, auswerter,
                       werte_aus(kommune, stichtag, regelbasis, auswerter, zwischenspeicher), zwischenspeicher)


def bericht_aus(kommune: Kommune, stichtag: dt.date, regelbasis: Regelbasis, auswerter: Auswerter, a: Auswertung,
                zwischenspeicher: dict | None = None) -> Bericht:
    stellen: dict[int, Kommune] = {}  # meist ist es für alle Regeln derselbe Stützpunkt
    ergebnisse = [bericht_ergebnis(kommune, stichtag, regelbasis, a, regel_id, b, zwischenspeicher, stellen)
                  for regel_id, b in a.beurteilungen.items() if b.status is not None]
    ergebnisse.sort(
        key=lambda e: (
            _GEGENSTAND_ORDNUNG.get(e.regel.gegenstand, len(_GEGENSTAND_ORDNUNG)),
            e.regel.gegenstand,
            _STATUS_ORDNUNG[e.status],
            _ART_ORDNUNG[e.regel.art],
            _VERB_ORDNUNG[e.regel.verbindlichkeit],
            e.regel.id,
        )
    )
    grund = a.plan.variante(0).als_kommune(kommune)
    nicht_erfuellt = [n for n in _nicht_erfuellte(grund, stichtag, regelbasis, a.inferenzen[0], a.titel, a.unbekannt)
                      if n.regel.id not in a.beurteilungen]
    from engine.auswertung.vergleich import demnaechst  # noqa: PLC0415 - vergleich baut auf massen, massen nicht hierauf

    return Bericht(kommune, stichtag, ergebnisse, nicht_erfuellt, regelbasis, luecken(regelbasis, kommune),
                   beendete_programme(regelbasis, kommune, stichtag), a.plan.unbekannt, getattr(auswerter, "name", ""),
                   demnaechst(kommune, stichtag, regelbasis, auswerter, ergebnisse, zwischenspeicher, a.plan))


def bericht_ergebnis(kommune: Kommune, stichtag: dt.date, regelbasis: Regelbasis, a: Auswertung, regel_id: str, b,
                     zwischenspeicher: dict | None = None, stellen: dict | None = None) -> Ergebnis:
    """Das Ergebnis einer Regel im Bericht: aus der Inferenz am Stützpunkt ihrer Beurteilung, mit Status, offenen
    Fragen und Vorbehalten der Beurteilung und – wo Zahlen zählen – der Spanne."""
    stelle = None if stellen is None else stellen.get(b.vertreter)
    if stelle is None:
        stelle = a.plan.variante(b.vertreter).als_kommune(kommune)
        if stellen is not None:
            stellen[b.vertreter] = stelle
    ergebnis = _ergebnis_geteilt(regelbasis, regel_id, stelle, a.inferenzen[b.vertreter], stichtag, a.titel,
                                 a.unbekannt, zwischenspeicher)
    ergebnis.status, ergebnis.offen, ergebnis.vorbehalte = b.status, list(b.offen), list(b.vorbehalte)
    if b.status == Status.unbestimmt:
        ergebnis.begruendung = _unbestimmt_zeilen(kommune, ergebnis, b.spanne) + ergebnis.begruendung[-2:]
    elif kommune.unsicherheit is not None and _hat_zahlenschwelle(ergebnis.version.bedingung):
        ergebnis.begruendung.append(_spannen_zeile(kommune, gleich=True))
    return ergebnis


def _hat_zahlenschwelle(bedingung) -> bool:
    """Je Bedingung einmal gerechnet (die Massenauswertung fragt 100.000-mal)."""
    treffer = _ZAHLENSCHWELLE.get(id(bedingung))
    if treffer is None or treffer[0] is not bedingung:
        wert = any(lit.feld is not None and FELDER[lit.feld].art in ("zahl", "anteil") and not FELDER[lit.feld].merkmal
                   for konj in dnf(bedingung) for lit in konj) if bedingung is not None else False
        if len(_ZAHLENSCHWELLE) > 10_000:
            _ZAHLENSCHWELLE.clear()
        treffer = _ZAHLENSCHWELLE[id(bedingung)] = (bedingung, wert)
    return treffer[1]


_ZAHLENSCHWELLE: dict[int, tuple] = {}  # id(Bedingung) → (Bedingung, Ergebnis); die Bedingung hält die id


def _spannen_zeile(kommune: Kommune, gleich: bool) -> str:
    teile = []
    for feld in ("auslaendische_einwohner", "einwohner"):
        von, bis = kommune.spanne(feld)
        if von != bis:
            teile.append(f"{zahl(von)} bis {zahl(bis)} {FELDER[feld].bezeichnung}")
    spanne = " und ".join(teile) or "die angegebenen Zahlen"
    grund = kommune.unsicherheit.grund if kommune.unsicherheit else ""
    if gleich:
        return f"gilt in der ganzen Spanne ({spanne}; {grund})"
    return f"Spanne: {spanne} ({grund})"


def _unbestimmt_zeilen(kommune: Kommune, ergebnis: Ergebnis, spanne: bool) -> list[str]:
    """Wovon das Ergebnis abhängt: jede offene Frage mit beiden Ausgängen, bei Spannen die maßgebliche Zahl."""
    zeilen = [f"offen: {frage.text()}" for frage in ergebnis.offen]
    if spanne:
        zeilen.append(_spannen_zeile(kommune, gleich=False))
        zeilen.append("maßgeblich ist die Zahl der gemeldeten (ausländischen) Einwohner zum Stichtag der Norm; "
                      "mit der genauen Zahl der Kommune (Melderegister) lässt sich das entscheiden")
    return zeilen


def gelesene_felder(regelbasis: Regelbasis, regel_id: str) -> tuple[str, ...]:
    """Die Felder einer Kommune, die ``_ergebnis`` für diese Regel liest – außer dem Kommunaltyp und den Einwohnern
    einer Förderung, die ``_ergebnis_geteilt`` immer in den Schlüssel nimmt: die Felder aller Fassungen der Regel und
    ihrer Ausnahmen, ein Anteil als Zähler und Nenner. Je Regel einmal."""
    cache = regelbasis.__dict__.setdefault("_gelesene_felder", {})
    if regel_id not in cache:
        felder: set[str] = set()
        for regel in (regelbasis.regel(regel_id), *regelbasis.ausnahmen_zu(regel_id)):
            for version in regel.versionen:
                for konj in dnf(version.bedingung) if version.bedingung is not None else ():
                    for lit in konj:
                        if lit.feld is None or lit.feld == "typ":
                            continue
                        feld = FELDER[lit.feld]
                        felder.update((feld.zaehler, feld.nenner) if feld.art == "anteil" else (lit.feld,))
        cache[regel_id] = tuple(sorted(felder))
    return cache[regel_id]


def _ergebnis_geteilt(regelbasis, regel_id, kommune, inferenz, stichtag, titel, unbekannt, speicher) -> Ergebnis:
    """``_ergebnis``, mit ``speicher`` (Massenauswertung) je gleicher Eingabe einmal: gleiche Regel, gleiche Inferenz
    (dasselbe Objekt aus dem Zwischenspeicher der Klassen), gleicher Stichtag, gleiche unbekannte Merkmale, gleicher
    Typ und gleiche Werte der gelesenen Felder ergeben dasselbe Ergebnis – die meisten Regeln lesen außer dem Typ
    nichts von der Kommune. Zurück kommt eine Kopie (der Bericht ergänzt die Begründung).
    ``tests/test_ergebnis_geteilt.py`` prüft, dass ``_ergebnis`` nichts anderes von der Kommune liest."""
    if speicher is None:
        return _ergebnis(regelbasis, regel_id, kommune, inferenz, stichtag, titel, unbekannt)
    regel = regelbasis.regel(regel_id)
    schluessel = ("ergebnis", regel_id, id(inferenz), id(regelbasis), stichtag, unbekannt, kommune.typ,
                  tuple(kommune.wert(f) for f in gelesene_felder(regelbasis, regel_id)),
                  kommune.einwohner if regel.foerderung is not None else None)
    treffer = speicher.get(schluessel)
    if treffer is None or treffer[0] is not inferenz or treffer[1] is not regelbasis:  # hält beide am Leben
        treffer = speicher[schluessel] = (inferenz, regelbasis,
                                          _ergebnis(regelbasis, regel_id, kommune, inferenz, stichtag, titel, unbekannt))
    vorlage = treffer[2]
    return Ergebnis(vorlage.regel, vorlage.version_index, vorlage.status, list(vorlage.begruendung),
                    list(vorlage.ausnahmen), vorlage.foerderung, list(vorlage.offen), list(vorlage.vorbehalte))


def _ergebnis(regelbasis, regel_id, kommune, inferenz, stichtag, titel, unbekannt=frozenset()) -> Ergebnis:
    """Ein Ergebnis aus der Inferenz – mit Nachrechnung: widerspricht sie durable-rules, bricht es ab."""
    index = inferenz.tatbestaende[regel_id]
    regel = regelbasis.regel(regel_id)
    version = regel.versionen[index]
    if not (version.gilt_am(stichtag) and erfuellt(version.bedingung, kommune, inferenz)):
        raise EngineFehler(
            f"Interne Unstimmigkeit: durable-rules meldet „{regel_id}“ als erfüllt, die Nachrechnung nicht. "
            "Bitte melden Sie diesen Fehler mit dem Profil."
        )
    begruendung = begruende(version.bedingung, kommune, inferenz, titel, unbekannt=unbekannt) + \
        _kontext_zeilen(regel, version, kommune)
    verdraengt = dict(inferenz.verdraengt.get(regel_id, []))
    pruefungen = []
    for ausnahme in sorted(regelbasis.ausnahmen_zu(regel_id), key=lambda r: r.id):
        treffer = ausnahme.version_am(stichtag)
        if treffer is None or kommune.typ not in konkrete_typen(ausnahme.typen):
            if ausnahme.id in verdraengt:
                raise EngineFehler(f"Interne Unstimmigkeit bei der Ausnahme „{ausnahme.id}“.")
            continue
        a_index, a_version = treffer
        greift = ausnahme.id in verdraengt
        if greift != erfuellt(a_version.bedingung, kommune, inferenz):
            raise EngineFehler(f"Interne Unstimmigkeit bei der Ausnahme „{ausnahme.id}“ (durable-rules ≠ Nachrechnung).")
        zeilen = begruende(a_version.bedingung, kommune, inferenz, titel, negiert=not greift, unbekannt=unbekannt)
        pruefungen.append(AusnahmePruefung(ausnahme.id, ausnahme.titel, greift, zeilen, a_version.zitat))
    status = Status.entfaellt if verdraengt else Status.gilt
    return Ergebnis(regel, index, status, begruendung, pruefungen, _foerderangaben(regel, version, kommune, stichtag))


def _foerderangaben(regel: Regel, version: Version, kommune: Kommune, stichtag: dt.date) -> Foerderangaben | None:
    if regel.foerderung is None:
        return None
    ende = version.gueltig_bis
    naechste = regel.version_am(ende + dt.timedelta(days=1)) if ende is not None else None
    # eine Fassung, an die die nächste nahtlos anschließt, läuft nicht aus
    bald = ende if ende is not None and naechste is None and (ende - stichtag).days <= AUSLAUF_TAGE else None
    return Foerderangaben(berechne(regel.foerderung, kommune, stichtag),
                          naechste_frist(regel.foerderung, stichtag, version.gueltig_bis), bald)


def _nicht_erfuellte(kommune, stichtag, regelbasis, inferenz, titel, unbekannt=frozenset()) -> list[NichtErfuellt]:
    """Pflichten und Förderprogramme des Landes für diesen Typ, deren Tatbestand nicht erfüllt ist – mit Abstand."""
    ergebnis = []
    for regel in regelbasis.fuer_land_sortiert(kommune.land):
        if regel.rolle != Rolle.regel or regel.art not in (Art.pflicht, Art.foerderung) or regel.id in inferenz.tatbestaende:
            continue
        if kommune.typ not in konkrete_typen(regel.typen):
            continue
        treffer = regel.version_am(stichtag)
        if treffer is None:
            continue
        ergebnis.append(nicht_erfuellt_eintrag(regel, treffer, kommune, inferenz, titel, unbekannt))
    return ergebnis


def nicht_erfuellt_eintrag(regel: Regel, treffer: tuple[int, Version], kommune, inferenz, titel,
                           unbekannt=frozenset()) -> NichtErfuellt:
    index, version = treffer
    zeilen = begruende(version.bedingung, kommune, inferenz, titel, negiert=True, unbekannt=unbekannt)
    return NichtErfuellt(regel, index, zeilen, abstand(version.bedingung, kommune))


def vorbehalt_text(bericht: Bericht, v) -> str:
    """„gilt, sofern nicht: Integrations-Kommission statt Ausländerbeirat (§ 84 Satz 3 HGO) – offen: …“."""
    ausnahme = bericht.regelbasis.regel(v.ausnahme) if v.ausnahme in bericht.regelbasis.regeln else None
    wenn = f"{ausnahme.titel} ({ausnahme.versionen[-1].zitat.norm})" if ausnahme else v.merkmal
    return f"gilt, sofern nicht die Ausnahme greift: {wenn} – offen: {v.frage}"


__all__ = ["Auswertung", "Bericht", "Ergebnis", "erstelle_bericht", "werte_aus", "bericht_aus", "bericht_ergebnis",
           "nicht_erfuellt_eintrag", "luecken", "beendete_programme", "vorbehalt_text"]
