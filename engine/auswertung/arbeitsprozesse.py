"""Die Arbeitsprozesse von ``batch``: Zerlegung in Pakete, Schreiben der Pakete in die Ablage, Überwachen und
Beenden des Prozess-Pools. ``massen.bewerte_alle`` benutzt sie; hier steht, was mit Prozessen und Dateien zu tun hat."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterator, Sequence

from engine.fehler import KommunalpflichtenFehler

BLOCK = 64  # Kommunen je Arbeitspaket eines Prozesses (ohne Prozesse: je Block)


def paketbereiche(datensaetze: Sequence, prozesse: int, gewicht: Callable[[str], int] | None = None,
                  teile_je_prozess: int = 2) -> list[tuple[int, int]]:
    """Die Arbeitspakete für mehrere Prozesse: zusammenhängend in der Reihenfolge der Daten und **je Land eines**.
    Die Klassen eines Landes (sein Regelsatz) beurteilt so nur ein Prozess; mit reihum verteilten Blöcken zu 64 Orten
    sah jeder Prozess jedes Land und inferierte dieselben Klassen noch einmal (gemessen 0,2 s je Prozess für ganz
    Deutschland). Ein Land mit mehr als einem ``teile_je_prozess · prozesse``-tel des Aufwands wird in gleich große
    Teile geteilt (sonst rechnete bei ``--land HE`` nur ein Prozess, und das längste Paket bestimmte das Ende);
    aufeinanderfolgende kleine Pakete (Bremen, Hamburg) werden bis zu ``BLOCK`` Orten zusammengelegt.

    ``gewicht``: Aufwand je Ort eines Landes (Standard 1) – im JSONL kostet ein Ort mit eigenem Bericht ein Vielfaches
    eines Orts, dessen Bericht er mit anderen teilt (siehe ``JsonlFormat.gewicht``)."""
    n = len(datensaetze)
    if n == 0:
        return []
    grenzen = [0] + [i for i in range(1, n) if datensaetze[i].land != datensaetze[i - 1].land] + [n]
    je_ort = [1 if gewicht is None else max(1, gewicht(datensaetze[a].land)) for a in grenzen[:-1]]
    gesamt = sum((ende - anfang) * w for anfang, ende, w in zip(grenzen, grenzen[1:], je_ort))
    groesste = max(BLOCK, -(-gesamt // (teile_je_prozess * prozesse)))  # Aufwand eines Pakets höchstens
    bereiche: list[tuple[int, int]] = []
    letztes = 0  # Aufwand des letzten Pakets
    for anfang, ende, w in zip(grenzen, grenzen[1:], je_ort):
        teile = -(-((ende - anfang) * w) // groesste)
        for i in range(teile):
            von, bis = anfang + (ende - anfang) * i // teile, anfang + (ende - anfang) * (i + 1) // teile
            if bereiche and bereiche[-1][1] - bereiche[-1][0] < BLOCK and letztes + (bis - von) * w <= groesste:
                bereiche[-1] = (bereiche[-1][0], bis)
                letztes += (bis - von) * w
            else:
                bereiche.append((von, bis))
                letztes = (bis - von) * w
    return bereiche


def schreibe_alle(fd: int, stuecke: list[bytes]) -> None:
    """Die Stücke hintereinander in die Datei, ohne sie vorher zu einem Block zu verbinden (``writev``: bei JSONL
    spart das 360 MB Kopieren); wo es ``writev`` nicht gibt, verbunden."""
    if hasattr(os, "writev"):
        stuecke, schreibe = list(stuecke), os.writev
    else:
        stuecke, schreibe = [b"".join(stuecke)], lambda ziel, teile: os.write(ziel, teile[0])
    i = 0
    while i < len(stuecke):
        teil = stuecke[i:i + 1024]  # höchstens IOV_MAX Stücke je Aufruf
        geschrieben = schreibe(fd, teil)
        if geschrieben == 0 and any(teil):  # sonst endlos: nichts geschrieben, aber noch etwas zu schreiben
            raise OSError(errno.EIO, "writev hat nichts geschrieben")
        for stueck in teil:  # ein Teil kann kürzer geschrieben sein: den Rest des angefangenen Stücks nachschieben
            if geschrieben >= len(stueck):
                geschrieben -= len(stueck)
                i += 1
                continue
            stuecke[i] = stueck[geschrieben:]
            break


class ArbeitsprozessFehler(KommunalpflichtenFehler):
    """Ein Arbeitsprozess endete mitten in der Auswertung (Exit-Code 3), etwa vom System beendet."""

    exit_code = 3


WACHE_SEKUNDEN = 0.5  # so oft sieht der Hauptprozess beim Warten nach, ob seine Arbeitsprozesse noch leben


def bewacht(ergebnisse, arbeiter: list) -> Iterator:
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
                    f"Ein Arbeitsprozess wurde mitten in der Auswertung beendet ({endegrund(tot[0].exitcode)}); "
                    "die Auswertung ist abgebrochen, eine Ergebnisdatei wurde nicht geschrieben. Mit weniger Prozessen "
                    "(--prozesse 1) oder mehr freiem Arbeitsspeicher erneut versuchen.") from None
            continue
        yield ergebnis


def endegrund(exitcode: int) -> str:
    import signal

    if exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"Signal {-exitcode}"
        return f"{name}" + (" – vermutlich vom System wegen Speichermangels" if -exitcode == signal.SIGKILL else "")
    return f"Exit-Code {exitcode}"


FRIST_BEENDEN = 5.0  # Sekunden für pool.terminate(), danach werden die Arbeitsprozesse hart beendet


def beende(pool, arbeiter: list, frist: float = FRIST_BEENDEN) -> None:
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


def arbeiter_start() -> None:
    """Strg-C gilt dem Hauptprozess; die Arbeitsprozesse ignorieren es. SIGTERM (so beendet der Pool seine Prozesse)
    beendet sie sofort. Die beim Start geerbte Signalsperre wird aufgehoben."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})


__all__ = ["BLOCK", "paketbereiche", "schreibe_alle", "ArbeitsprozessFehler", "bewacht", "beende", "arbeiter_start"]
