"""Landesübersichten (``/laender/XX``) ohne Stau: je Land und Stichtag höchstens eine Rechnung, höchstens
``GLEICHZEITIG`` Rechnungen zugleich, fertige Übersichten ohne jedes Warten.

Eine Übersicht wertet jede Kommune des Landes aus (Bayern: ~2.000, einige Sekunden). Früher lief jede unter einer
gemeinsamen Sperre und hielt dabei einen Platz im Threadpool: 70 Anfragen zu verschiedenen Stichtagen ließen jede
andere Anfrage minutenlang warten. Jetzt:

- Fertige Übersichten liegen in einem Vorrat (die jüngsten ``VORRAT``) und werden ohne Sperre gelesen.
- Wer eine Übersicht will, die gerade entsteht, wartet auf *diese* Rechnung – im Ereignisschleifen-Thread, ohne
  einen Platz im Threadpool zu belegen.
- Gerechnet wird in einem eigenen Prozess (einmal gestartet, mit eigener Regelbasis): die Rechnung teilt sich die
  GIL nicht mit dem Server, der auf einem Kern weiter antwortet. Höchstens ``GLEICHZEITIG`` Übersichten sind
  unterwegs; ist das erreicht, ist die Antwort sofort ``Ausgelastet`` (503 mit ``Retry-After``) statt einer
  Warteschlange, die niemand begrenzt.

Alle Zustände werden nur im Thread der Ereignisschleife verändert; deshalb braucht es keine Sperre.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import multiprocessing
import os
import signal
import threading
import time
from collections import OrderedDict
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

GLEICHZEITIG = 2  # Übersichten unterwegs: eine in Rechnung, eine wartet im Rechenprozess
VORRAT = 64  # fertige Übersichten
WIEDERHOLEN_NACH = 10  # Sekunden, Retry-After bei vollem Pool (eine Übersicht dauert wenige Sekunden)


class Ausgelastet(Exception):
    """Alle Plätze für neue Landesübersichten sind belegt (503 mit Retry-After)."""

    def __init__(self, sekunden: int = WIEDERHOLEN_NACH):
        super().__init__(f"Gerade entstehen {GLEICHZEITIG} andere Landesübersichten; bitte in {sekunden} Sekunden "
                         "erneut versuchen.")
        self.sekunden = sekunden


class Landesuebersichten:
    def __init__(self, regelpfade: list[Path] | None = None, gleichzeitig: int = GLEICHZEITIG, vorrat: int = VORRAT):
        self._regelpfade = regelpfade
        self._gleichzeitig = gleichzeitig
        self._vorrat = vorrat
        self._fertig: OrderedDict[tuple[str, dt.date], dict] = OrderedDict()
        self._laufend: dict[tuple[str, dt.date], asyncio.Future] = {}
        self._pool: ProcessPoolExecutor | None = None

    async def hole(self, land: str, stichtag: dt.date) -> dict:
        schluessel = (land, stichtag)
        fertig = self._fertig.get(schluessel)
        if fertig is not None:
            self._fertig.move_to_end(schluessel)
            return fertig
        laufend = self._laufend.get(schluessel)
        if laufend is None:
            if len(self._laufend) >= self._gleichzeitig:
                raise Ausgelastet()
            laufend = asyncio.wrap_future(self._gib_auf(land, stichtag))
            self._laufend[schluessel] = laufend
            laufend.add_done_callback(lambda f: self._abgeschlossen(schluessel, f))
        # shield: bricht der Client ab, rechnet die Übersicht zu Ende und liegt für den nächsten bereit
        try:
            return await asyncio.shield(laufend)
        except BrokenProcessPool:  # der Rechenprozess ist abgestürzt (z. B. Speicher); der nächste Versuch startet neu
            raise Ausgelastet() from None

    def _gib_auf(self, land: str, stichtag: dt.date):
        for _ in range(2):  # ein abgestürzter Rechenprozess wird einmal ersetzt
            if self._pool is None:
                self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                                 initializer=_rechenprozess, initargs=(self._regelpfade, os.getpid()))
            try:
                return self._pool.submit(rechne, land, stichtag)
            except BrokenProcessPool:
                self._pool = None
        raise Ausgelastet()

    def _abgeschlossen(self, schluessel: tuple[str, dt.date], zukunft: asyncio.Future) -> None:
        self._laufend.pop(schluessel, None)
        if zukunft.cancelled() or zukunft.exception() is not None:
            if isinstance(None if zukunft.cancelled() else zukunft.exception(), BrokenProcessPool):
                self._pool = None
            return  # der Fehler geht an alle Wartenden; nichts in den Vorrat
        self._fertig[schluessel] = zukunft.result()
        while len(self._fertig) > self._vorrat:
            self._fertig.popitem(last=False)

    def schliessen(self) -> None:
        """Den Rechenprozess beenden, auch mitten in einer Übersicht (sie wird nicht mehr gebraucht)."""
        if self._pool is not None:
            prozesse = list((getattr(self._pool, "_processes", None) or {}).values())  # privat; seit 3.2 vorhanden
            self._pool.shutdown(wait=False, cancel_futures=True)
            for prozess in prozesse:
                prozess.terminate()
            for prozess in prozesse:
                prozess.join(5)
            self._pool = None


# ---------------------------------------------------------------------------------------------- im Rechenprozess

_REGELBASIS = None
_AUSWERTER = None


def _rechenprozess(regelpfade: list[Path] | None, eltern: int | None = None) -> None:
    """Start des Rechenprozesses: Strg-C im Terminal gilt dem Server (er beendet den Prozess), und die Regelbasis
    wird einmal geladen. Endet der Server, ohne den Prozess zu beenden (``os._exit``, SIGKILL, Absturz), endet der
    Rechenprozess binnen einer Sekunde selbst – sonst bliebe er verwaist zurück (70 MB; die Testsuite hinterließ
    zwei je Lauf)."""
    global _REGELBASIS, _AUSWERTER
    from engine.auswertung.durable import auswerter_fuer
    from engine.regeln.basis import lade_regelbasis

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if eltern is not None:
        threading.Thread(target=_waechter, args=(eltern,), name="elternwaechter", daemon=True).start()
    _REGELBASIS = lade_regelbasis(regelpfade)
    _AUSWERTER = auswerter_fuer(_REGELBASIS)


def _waechter(eltern: int) -> None:
    while os.getppid() == eltern:
        time.sleep(WACHE_SEKUNDEN)
    os._exit(0)


WACHE_SEKUNDEN = 1.0


def rechne(land: str, stichtag: dt.date, regelbasis=None, auswerter=None) -> dict:
    """Wie ``batch --land``: je Regel, wie viele Kommunen des Landes darunter fallen, und je Kreis für die Karte."""
    from engine.auswertung.gebietszahlen import Gebietszaehlung
    from engine.auswertung.massen import bewerte
    from engine.kommunen.daten import alle

    regelbasis = regelbasis or _REGELBASIS
    auswerter = auswerter or _AUSWERTER
    speicher: dict = {}
    zaehler: dict[str, dict[str, int]] = {}
    gebiete = Gebietszaehlung(stichtag)  # dieselben Ergebnisse je Kreis, für die Karte
    kommunen = [d for d in alle() if d.land == land]
    for d in kommunen:
        zeile = bewerte(d.profil(stichtag), stichtag, regelbasis, auswerter, speicher)
        gebiete.erfasse(d.ags, zeile.kommune.typ, zeile.ergebnisse)
        for rid, status, _ in zeile.ergebnisse:
            zaehler.setdefault(rid, {}).setdefault(status.value, 0)
            zaehler[rid][status.value] += 1
    return {"kommunen": len(kommunen), "regeln": zaehler, "gebiete": gebiete}


__all__ = ["Landesuebersichten", "Ausgelastet", "rechne", "GLEICHZEITIG"]
