"""Massenauswertung (``batch``): alle oder ausgewählte Kommunen Deutschlands über durable-rules.

Je Kommune wird an allen Stützpunkten ihrer Spanne ausgewertet (siehe ``bereiche.py``); Ergebnis je Regel:
``gilt``, ``entfaellt`` oder ``unbestimmt``. Gleichwertige Fakten (gleiche Schwellenintervalle, siehe
``KompilierterRegelsatz.kanonisch``) wertet durable-rules nur einmal aus.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from engine.auswertung import varianten
from engine.auswertung.arbeitsprozesse import BLOCK, arbeiter_start, beende, bewacht, paketbereiche, schreibe_alle
from engine.auswertung.beurteilung import ZAHLENABHAENGIG, beurteile_alle, zahlenklassen
from engine.auswertung.zusammenfassung import Kurz, Zusammenfassung
from engine.begriffe import Status
from engine.kommunen.profil import Kommune, mit_merkmalen
from engine.regeln.basis import Regelbasis


@dataclass
class Zeile:
    kommune: Kommune
    ergebnisse: list[tuple[str, Status, int]]  # (Regel-id, Status, Versionsindex)
    offen: dict[str, list[str]] = field(default_factory=dict)  # Regel-id → Merkmale/Zahlen, von denen sie abhängt
    vorbehalte: dict[str, list[str]] = field(default_factory=dict)  # Regel-id → Ausnahmen unter Vorbehalt
    spanne: bool = field(default=False, compare=False)  # eine Beurteilung fragt nach einer Zahlenspanne
    # der geteilte Eintrag im Zwischenspeicher, aus dem die Zeile kopiert ist (gleicher Eintrag ⇒ gleiche Ergebnisse):
    # Formatierer bilden ihren Text daran einmal je Eintrag
    geteilt: tuple | None = field(default=None, compare=False, repr=False)


def bewerte(kommune: Kommune, stichtag: dt.date, regelbasis: Regelbasis, auswerter, zwischenspeicher: dict | None,
            plan: varianten.Plan | None = None, nur_lesen: bool = False) -> Zeile:
    """Wie ``erstelle_bericht``, aber ohne Erklärungstexte: Status je Regel aus denselben Stützpunkten. ``plan``: die
    Stützpunkte, wenn sie schon gebaut sind (sie hängen nicht vom Stichtag ab). ``nur_lesen``: die Zeile teilt ihre
    Listen mit dem Zwischenspeicher statt sie zu kopieren – für Aufrufer, die sie nie ändern („Demnächst“).

    Mit ``zwischenspeicher`` und einem Auswerter, der Klassen kennt (durable-rules), einmal je **Signatur**: gleiche
    Signatur, gleicher Typ und gleiche unbekannte Merkmale ⇒ gleiche Klassen an jedem Stützpunkt ⇒ dieselbe Zeile (wie
    bei ``beurteile_alle``, dort auch die Ausnahme bei Fragen zu einer Zahlenspanne)."""
    if plan is None:
        plan = varianten.plane(kommune, regelbasis)
    signatur = getattr(auswerter, "signatur", None)
    if zwischenspeicher is None or signatur is None:
        return _zeile(kommune, plan, stichtag, regelbasis, auswerter, zwischenspeicher)
    sig = signatur(plan, stichtag)
    schluessel = ("zeile", kommune.typ, plan.unbekannt, sig)
    treffer = zwischenspeicher.get(schluessel)
    if treffer is ZAHLENABHAENGIG:
        schluessel = (*schluessel, zahlenklassen(plan, regelbasis))
        treffer = zwischenspeicher.get(schluessel)
    if treffer is None:
        zeile = _zeile(kommune, plan, stichtag, regelbasis, auswerter, zwischenspeicher, sig)
        if len(schluessel) == 4 and zeile.spanne:
            zwischenspeicher[schluessel] = ZAHLENABHAENGIG
            schluessel = (*schluessel, zahlenklassen(plan, regelbasis))
        treffer = zwischenspeicher[schluessel] = (zeile.ergebnisse, zeile.offen, zeile.vorbehalte)
    ergebnisse, offen, vorbehalte = treffer
    if nur_lesen:
        return Zeile(kommune, ergebnisse, offen, vorbehalte, geteilt=treffer)
    return Zeile(kommune, list(ergebnisse), dict(offen), dict(vorbehalte), geteilt=treffer)


def _zeile(kommune: Kommune, plan: varianten.Plan, stichtag: dt.date, regelbasis: Regelbasis, auswerter,
           zwischenspeicher: dict | None, signatur: tuple | None = None) -> Zeile:
    if signatur is None:
        inferenzen = auswerter.inferiere_plan(plan, stichtag, zwischenspeicher)
    else:
        inferenzen = auswerter.inferiere_plan(plan, stichtag, zwischenspeicher, signatur)
    zeile = Zeile(kommune, [])
    for rid, b in beurteile_alle(plan, inferenzen, regelbasis, zwischenspeicher).items():
        zeile.spanne = zeile.spanne or b.spanne
        if b.status is None:
            continue
        zeile.ergebnisse.append((rid, b.status, inferenzen[b.vertreter].tatbestaende[rid]))
        if b.offen:
            zeile.offen[rid] = [f.merkmal for f in b.offen]
        if b.vorbehalte:
            zeile.vorbehalte[rid] = [v.merkmal for v in b.vorbehalte]
    return zeile


# Zustand der Arbeitsprozesse (per fork geerbt, nie über Prozessgrenzen gereicht)
_ARBEIT: dict = {}

Formatierer = Callable[..., tuple[Kurz, str]]


def _zeilen(block: Sequence) -> Iterator[tuple[str, Kurz, object]]:
    """Je Kommune des Blocks (Land, Kurzergebnis, was der Formatierer liefert) – im Arbeitsprozess."""
    a = _ARBEIT
    if a.get("pid") != os.getpid():  # im Arbeitsprozess: eigener Auswerter (eigener durable-Host)
        from engine.auswertung.durable import auswerter_fuer

        a["auswerter"] = auswerter_fuer(a["regelbasis"])
        a["speicher"] = {} if a["mit_zwischenspeicher"] else None
        a["pid"] = os.getpid()
    formatierer, stichtag, merkmale = a["formatierer"], a["stichtag"], a["merkmale"]
    regelbasis, auswerter, speicher = a["regelbasis"], a["auswerter"], a["speicher"]
    for d in block:
        kurz, inhalt = formatierer(mit_merkmalen(d.profil(stichtag), merkmale), stichtag, regelbasis, auswerter, speicher)
        yield d.land, kurz, inhalt


def _arbeite(block: Sequence) -> list[tuple[str, Kurz, str]]:
    # Text einmal kodiert, schon im Arbeitsprozess: der Hauptprozess schreibt ihn nur noch (sonst kodiert ihn pickle,
    # der Hauptprozess dekodiert ihn und kodiert ihn beim Schreiben noch einmal – bei JSONL 350 MB)
    return [(land, kurz, text.encode() if isinstance(text, str) else text) for land, kurz, text in _zeilen(block)]


@dataclass
class Paket:
    """Ein Arbeitspaket am Stück (``bewerte_alle(…, je_paket=True)``): der Text aller seiner Kommunen in ihrer
    Reihenfolge, als UTF-8-Bytes, und was die Zusammenfassung von ihnen zählt. Der Hauptprozess schreibt und zählt so
    je Paket einmal statt je Kommune – er teilt sich die Prozessorkerne mit den Arbeitsprozessen."""

    anzahl: int
    inhalt: bytes
    zusammenfassung: "Zusammenfassung"
    datei: str | None = None  # statt ``inhalt``: dort abgelegt (Arbeitsprozess → Hauptprozess, siehe ``_arbeite_abgelegt``)

    def teile(self, groesse: int = 1 << 20) -> Iterator[bytes]:
        """Der Text in Stücken; ein abgelegter aus seiner Datei gelesen, die danach entfernt wird (ein Land als JSONL
        sind 75 MB – nie ganz im Speicher)."""
        if self.datei is None:
            if self.inhalt:
                yield self.inhalt
            return
        with open(self.datei, "rb") as datei:
            while stueck := datei.read(groesse):
                yield stueck
        os.unlink(self.datei)


PUFFER_ZEICHEN = 4_000_000  # so viel Text sammelt ein Arbeitsprozess, bevor er ihn in die Ablage schreibt


def _arbeite_abgelegt(auftrag: tuple[str, int, int, int]) -> Paket:
    """Im Arbeitsprozess: das Paket rechnen und seinen Text laufend in die Ablage des Hauptprozesses schreiben, statt
    ihn durch die Pipe des Pools zu schicken. Megabytes durch die Pipe halten den Arbeitsprozess fest, bis der
    Hauptprozess (der sich die Kerne mit ihm teilt) alles gelesen und entpickelt hat – gemessen 10–25 ms je Land
    zwischen zwei Paketen. Geht das Ablegen nicht (Platte voll, Ablage weg), wird das Paket noch einmal gerechnet und
    kommt wie sonst durch die Pipe."""
    ablage, nummer, von, bis = auftrag
    block = _ARBEIT["daten"][von:bis]
    pfad = os.path.join(ablage, f"{nummer}.paket")
    try:
        fd = os.open(pfad, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            paket = _arbeite_paket(block, lambda stuecke: schreibe_alle(fd, stuecke))
        finally:
            os.close(fd)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(pfad)
        return _arbeite_paket(block)
    return Paket(paket.anzahl, b"", paket.zusammenfassung, pfad)


def _arbeite_bereich(bereich: tuple[int, int]) -> list[tuple[str, Kurz, str]]:
    """Im Arbeitsprozess: die Datensätze kommen per fork mit (``_ARBEIT["daten"]``), über die Pipe nur der Bereich –
    sonst pickelte der Hauptprozess 11.065 Datensätze, während die Arbeitsprozesse schon rechnen."""
    return _arbeite(_ARBEIT["daten"][bereich[0]:bereich[1]])


def _arbeite_paket_bereich(bereich: tuple[int, int]) -> Paket:
    return _arbeite_paket(_ARBEIT["daten"][bereich[0]:bereich[1]])


def _arbeite_paket(block: Sequence, schreibe: Callable[[list[bytes]], object] | None = None) -> Paket:
    """Das Paket rechnen; mit ``schreibe`` gehen die Texte stückweise dorthin (``inhalt`` bleibt leer)."""
    texte: list[str | bytes] = []  # von einem Formatierer: alle Text oder alle Bytes
    zeichen = 0
    je_kurz: Counter = Counter()  # (Land, id des Kurzergebnisses) → Kommunen: Formatierer teilen Kurzergebnisse
    kurze: dict[int, Kurz] = {}  # hält jedes gezählte Kurzergebnis am Leben (seine id bleibt eindeutig)
    for land, kurz, text in _zeilen(block):
        texte.append(text)
        kurze[id(kurz)] = kurz
        je_kurz[(land, id(kurz))] += 1
        if schreibe is not None:
            zeichen += len(text)
            if zeichen >= PUFFER_ZEICHEN:
                schreibe(_als_bytes(texte))
                texte = []
                zeichen = 0
    zusammenfassung = Zusammenfassung()
    for (land, nummer), anzahl in je_kurz.items():
        zusammenfassung.kommunen[land] += anzahl
        for rid, status in kurze[nummer]:
            zusammenfassung.zaehler[(land, rid, status)] += anzahl
    if schreibe is None:
        return Paket(len(block), _verbunden(texte), zusammenfassung)
    if texte:
        schreibe(_als_bytes(texte))
    return Paket(len(block), b"", zusammenfassung)


def _als_bytes(texte: list) -> list[bytes]:
    """Die Texte als UTF-8; Formatierer liefern Text oder schon kodierte Bytes (CSV, JSONL)."""
    if texte and isinstance(texte[0], bytes):
        return texte
    return [t.encode() for t in texte]


def _verbunden(texte: list) -> bytes:
    """Die Texte als UTF-8 am Stück."""
    return b"".join(_als_bytes(texte))


def bewerte_alle(datensaetze: Sequence, stichtag: dt.date, regelbasis: Regelbasis, formatierer: Formatierer,
                 merkmale: tuple = (), prozesse: int = 1, mit_zwischenspeicher: bool = True, je_paket: bool = False
                 ) -> Iterator:
    """Alle Datensätze auswerten und formatieren, in ihrer Reihenfolge: je Kommune (Land, Kurzergebnis, Inhalt) – Text
    der Formatierer als UTF-8-Bytes, anderes (Zeilen, Wirkungen) unverändert. Mit ``je_paket`` (nur für Formatierer,
    die Text liefern) stattdessen je Arbeitspaket ein ``Paket``: derselbe Text am Stück und die gezählten Ergebnisse.

    Mit ``prozesse`` > 1 auf mehrere Prozesse verteilt (je einer mit eigenem durable-rules-Host); die Ausgabe ist
    dieselbe wie mit einem Prozess. Formatiert wird im Arbeitsprozess, damit nur fertiger Text zurückkommt."""
    import multiprocessing  # nur die Massenauswertung braucht Prozesse (ein Kaltstart von check nicht)

    _ARBEIT.clear()
    _ARBEIT.update(regelbasis=regelbasis, stichtag=stichtag, merkmale=merkmale, formatierer=formatierer,
                   mit_zwischenspeicher=mit_zwischenspeicher, daten=datensaetze)
    bereiche = [(i, min(i + BLOCK, len(datensaetze))) for i in range(0, len(datensaetze), BLOCK)] if prozesse <= 1 \
        else paketbereiche(datensaetze, prozesse, getattr(formatierer, "gewicht", None),
                           getattr(formatierer, "teile_je_prozess", 2))
    if prozesse <= 1 or len(bereiche) <= 1 or "fork" not in multiprocessing.get_all_start_methods() \
            or not einfaedig():
        for von, bis in bereiche:
            if je_paket:
                yield _arbeite_paket(datensaetze[von:bis])
            else:
                yield from _arbeite(datensaetze[von:bis])
        return
    ablage = None
    if je_paket:
        try:  # privat (0700), im Verzeichnis für temporäre Dateien; am Ende samt Inhalt entfernt
            ablage = tempfile.mkdtemp(prefix="kommunalpflichten-pakete-")
        except OSError:
            pass
    try:
        yield from _im_pool(bereiche, prozesse, je_paket, ablage)
    finally:
        if ablage is not None:
            shutil.rmtree(ablage, ignore_errors=True)


def _im_pool(bereiche: list[tuple[int, int]], prozesse: int, je_paket: bool, ablage: str | None) -> Iterator:
    import multiprocessing
    import signal

    # Während die Arbeitsprozesse entstehen, warten Strg-C und SIGTERM: ein Abbruch zwischen fork() und der Aufnahme
    # in den Pool ließe sonst einen verwaisten Prozess zurück, den niemand beendet.
    signale = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, signale)
    try:
        vorher = set(multiprocessing.active_children())
        pool = multiprocessing.get_context("fork").Pool(prozesse, initializer=arbeiter_start)
        arbeiter = [p for p in multiprocessing.active_children() if p not in vorher]
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, signale)
    try:
        if not je_paket:
            for zeilen in bewacht(pool.imap(_arbeite_bereich, bereiche), arbeiter):
                yield from zeilen
        elif ablage is None:
            yield from bewacht(pool.imap(_arbeite_paket_bereich, bereiche), arbeiter)
        else:
            yield from bewacht(pool.imap(_arbeite_abgelegt, [(ablage, i, von, bis)
                                                              for i, (von, bis) in enumerate(bereiche)]), arbeiter)
    finally:
        beende(pool, arbeiter)


def einfaedig() -> bool:
    """Ob der Prozess nur einen Faden hat – auch keine Fäden von C-Bibliotheken (BLAS von numpy, Treiber), die
    ``threading`` nicht sieht. fork() aus einem Prozess mit Fäden kann im Kind an einer Sperre hängen, die ein anderer
    Faden hielt (Python 3.13 warnt davor); dann rechnet ``bewerte_alle`` im eigenen Prozess – dieselbe Ausgabe. Die CLI
    ist beim Fork einfädig; betroffen sind Aufrufe aus Programmen mit Fäden (Tests, Notebooks, Server)."""
    import threading

    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:  # ohne /proc (nicht Linux): nur die Python-Fäden sind sichtbar
        return threading.active_count() == 1


__all__ = ["bewerte", "bewerte_alle", "paketbereiche", "Paket", "Zusammenfassung", "Zeile"]
