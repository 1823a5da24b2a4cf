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
from engine.auswertung.beurteilung import ZAHLENABHAENGIG, beurteile_alle, zahlenklassen
from engine.auswertung.zusammenfassung import Kurz, Zusammenfassung
from engine.begriffe import Status
from engine.fehler import KommunalpflichtenFehler
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
            plan: varianten.Plan | None = None) -> Zeile:
    """Wie ``erstelle_bericht``, aber ohne Erklärungstexte: Status je Regel aus denselben Stützpunkten. ``plan``: die
    Stützpunkte, wenn sie schon gebaut sind (sie hängen nicht vom Stichtag ab).

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


BLOCK = 64  # Kommunen je Arbeitspaket eines Prozesses

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
        with open(pfad, "xb") as datei:
            paket = _arbeite_paket(block, datei.write)
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


def _arbeite_paket(block: Sequence, schreibe: Callable[[bytes], object] | None = None) -> Paket:
    """Das Paket rechnen; mit ``schreibe`` geht der Text stückweise dorthin (``inhalt`` bleibt leer)."""
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
                schreibe(_verbunden(texte))
                texte.clear()
                zeichen = 0
    zusammenfassung = Zusammenfassung()
    for (land, nummer), anzahl in je_kurz.items():
        zusammenfassung.kommunen[land] += anzahl
        for rid, status in kurze[nummer]:
            zusammenfassung.zaehler[(land, rid, status)] += anzahl
    inhalt = _verbunden(texte)
    if schreibe is None:
        return Paket(len(block), inhalt, zusammenfassung)
    if inhalt:
        schreibe(inhalt)
    return Paket(len(block), b"", zusammenfassung)


def _verbunden(texte: list) -> bytes:
    """Die Texte als UTF-8 am Stück; Formatierer liefern Text oder schon kodierte Bytes (CSV)."""
    if texte and isinstance(texte[0], bytes):
        return b"".join(texte)
    return "".join(texte).encode()


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
        else paketbereiche(datensaetze, prozesse)
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
        pool = multiprocessing.get_context("fork").Pool(prozesse, initializer=_arbeiter_start)
        arbeiter = [p for p in multiprocessing.active_children() if p not in vorher]
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, signale)
    try:
        if not je_paket:
            for zeilen in _bewacht(pool.imap(_arbeite_bereich, bereiche), arbeiter):
                yield from zeilen
        elif ablage is None:
            yield from _bewacht(pool.imap(_arbeite_paket_bereich, bereiche), arbeiter)
        else:
            yield from _bewacht(pool.imap(_arbeite_abgelegt, [(ablage, i, von, bis)
                                                              for i, (von, bis) in enumerate(bereiche)]), arbeiter)
    finally:
        _beende(pool, arbeiter)


class ArbeitsprozessFehler(KommunalpflichtenFehler):
    """Ein Arbeitsprozess endete mitten in der Auswertung (Exit-Code 3), etwa vom System beendet."""

    exit_code = 3


WACHE_SEKUNDEN = 0.5  # so oft sieht der Hauptprozess beim Warten nach, ob seine Arbeitsprozesse noch leben


def _bewacht(ergebnisse, arbeiter: list) -> Iterator:
    """Die Ergebnisse des Pools – aber nie endloses Warten auf einen toten Arbeitsprozess. ``multiprocessing.Pool``
    ersetzt einen gestorbenen Prozess (etwa vom Kernel wegen Speichermangels beendet), sein Auftrag kommt aber nie
    zurück, und ``imap`` wartete für immer. Arbeitsprozesse enden sonst nur mit dem Pool: endet einer vorher, bricht
    die Auswertung mit einer Meldung ab (die Ausgabedatei bleibt, wie sie war)."""
    import multiprocessing

    while True:
        try:
            ergebnis = ergebnisse.next(timeout=WACHE_SEKUNDEN)
        except StopIteration:
            return
        except multiprocessing.TimeoutError:
            tot = [p for p in arbeiter if p.exitcode is not None]
            if tot:
                raise ArbeitsprozessFehler(
                    f"Ein Arbeitsprozess wurde mitten in der Auswertung beendet ({_endegrund(tot[0].exitcode)}); "
                    "die Auswertung ist abgebrochen, eine Ergebnisdatei wurde nicht geschrieben. Mit weniger Prozessen "
                    "(--prozesse 1) oder mehr freiem Arbeitsspeicher erneut versuchen.") from None
            continue
        yield ergebnis


def _endegrund(exitcode: int) -> str:
    import signal

    if exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"Signal {-exitcode}"
        return f"{name}" + (" – vermutlich vom System wegen Speichermangels" if -exitcode == signal.SIGKILL else "")
    return f"Exit-Code {exitcode}"


def paketbereiche(datensaetze: Sequence, prozesse: int) -> list[tuple[int, int]]:
    """Die Arbeitspakete für mehrere Prozesse: zusammenhängend in der Reihenfolge der Daten und **je Land eines**.
    Die Klassen eines Landes (sein Regelsatz) beurteilt so nur ein Prozess; mit reihum verteilten Blöcken zu 64 Orten
    sah jeder Prozess jedes Land und inferierte dieselben Klassen noch einmal (gemessen 0,2 s je Prozess für ganz
    Deutschland). Ein Land mit mehr als einem ``2 · prozesse``-tel der Orte wird in gleich große Teile geteilt (sonst
    rechnete bei ``--land HE`` nur ein Prozess); aufeinanderfolgende kleine Pakete (Bremen, Hamburg) werden bis zu
    ``BLOCK`` Orten zusammengelegt."""
    n = len(datensaetze)
    groesste = max(BLOCK, -(-n // (2 * prozesse)))
    grenzen = [0] + [i for i in range(1, n) if datensaetze[i].land != datensaetze[i - 1].land] + [n]
    bereiche: list[tuple[int, int]] = []
    for anfang, ende in zip(grenzen, grenzen[1:]):
        teile = -(-(ende - anfang) // groesste)
        for i in range(teile):
            von, bis = anfang + (ende - anfang) * i // teile, anfang + (ende - anfang) * (i + 1) // teile
            if bereiche and bereiche[-1][1] - bereiche[-1][0] < BLOCK and bis - bereiche[-1][0] <= groesste:
                bereiche[-1] = (bereiche[-1][0], bis)
            else:
                bereiche.append((von, bis))
    return bereiche


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


FRIST_BEENDEN = 5.0  # Sekunden für pool.terminate(), danach werden die Arbeitsprozesse hart beendet


def _beende(pool, arbeiter: list, frist: float = FRIST_BEENDEN) -> None:
    """``pool.terminate()``, aber nie ohne Ende. CPython (3.11) bleibt darin für immer hängen, wenn ein
    Arbeitsprozess beim Beenden mitten im Schreiben eines Ergebnisses stirbt: der Ergebnis-Thread des Pools wartet auf
    den Rest der Nachricht, und ``terminate`` wartet auf ihn. Mit JSONL (Blöcke von Megabytes) traf das einen
    abgebrochenen ``batch`` gelegentlich. Nach der Frist werden die Arbeitsprozesse hart beendet und die
    Verwaltungs-Threads des Pools zurückgelassen – sie sind Daemon-Threads und halten das Programmende nicht auf."""
    import threading

    faden = threading.Thread(target=pool.terminate, name="pool-beenden", daemon=True)
    faden.start()
    faden.join(frist)
    if faden.is_alive():
        for prozess in arbeiter:
            prozess.kill()
        for prozess in arbeiter:
            prozess.join(1)


def _arbeiter_start() -> None:
    """Strg-C gilt dem Hauptprozess; die Arbeitsprozesse ignorieren es. SIGTERM (so beendet der Pool seine Prozesse)
    beendet sie sofort. Die beim Start geerbte Signalsperre wird aufgehoben."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})


__all__ = ["bewerte", "bewerte_alle", "paketbereiche", "Paket", "Zusammenfassung", "Zeile"]
