"""Landesübersichten (``/laender/XX``) ohne Stau: je Land und Stichtag höchstens eine Rechnung, höchstens
``GLEICHZEITIG`` Rechnungen zugleich, fertige Übersichten ohne jedes Warten.

Eine Übersicht wertet jede Kommune des Landes aus (Bayern: ~2.000, einige Sekunden). Früher lief jede unter einer
gemeinsamen Sperre und hielt dabei einen Platz im Threadpool: 70 Anfragen zu verschiedenen Stichtagen ließen jede
andere Anfrage minutenlang warten. Jetzt:

- Fertige Übersichten liegen in einem Vorrat (die jüngsten ``VORRAT``) und werden ohne Sperre gelesen.
- Wer eine Übersicht will, die gerade entsteht, wartet auf *diese* Rechnung – im Ereignisschleifen-Thread, ohne
  einen Platz im Threadpool zu belegen.
- Neue Rechnungen laufen in einem eigenen Pool mit ``GLEICHZEITIG`` Threads; ist er voll, ist die Antwort sofort
  ``Ausgelastet`` (503 mit ``Retry-After``) statt einer Warteschlange, die niemand begrenzt.

Alle Zustände werden nur im Thread der Ereignisschleife verändert; deshalb braucht es keine Sperre.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

GLEICHZEITIG = 2  # Rechnungen zugleich (2 Kerne; durable-rules wertet ohnehin nacheinander aus)
VORRAT = 64  # fertige Übersichten
WIEDERHOLEN_NACH = 10  # Sekunden, Retry-After bei vollem Pool (eine Übersicht dauert wenige Sekunden)


class Ausgelastet(Exception):
    """Alle Plätze für neue Landesübersichten sind belegt (503 mit Retry-After)."""

    def __init__(self, sekunden: int = WIEDERHOLEN_NACH):
        super().__init__(f"Gerade entstehen {GLEICHZEITIG} andere Landesübersichten; bitte in {sekunden} Sekunden "
                         "erneut versuchen.")
        self.sekunden = sekunden


class Landesuebersichten:
    def __init__(self, rechne: Callable[[str, dt.date], dict], gleichzeitig: int = GLEICHZEITIG,
                 vorrat: int = VORRAT):
        self._rechne = rechne
        self._gleichzeitig = gleichzeitig
        self._vorrat = vorrat
        self._fertig: OrderedDict[tuple[str, dt.date], dict] = OrderedDict()
        self._laufend: dict[tuple[str, dt.date], asyncio.Future] = {}
        self._pool = ThreadPoolExecutor(max_workers=gleichzeitig, thread_name_prefix="landesuebersicht")

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
            laufend = asyncio.get_running_loop().run_in_executor(self._pool, self._rechne, land, stichtag)
            self._laufend[schluessel] = laufend
            laufend.add_done_callback(lambda f: self._abgeschlossen(schluessel, f))
        # shield: bricht der Client ab, rechnet die Übersicht zu Ende und liegt für den nächsten bereit
        return await asyncio.shield(laufend)

    def _abgeschlossen(self, schluessel: tuple[str, dt.date], zukunft: asyncio.Future) -> None:
        self._laufend.pop(schluessel, None)
        if zukunft.cancelled() or zukunft.exception() is not None:
            return  # der Fehler geht an alle Wartenden; nichts in den Vorrat
        self._fertig[schluessel] = zukunft.result()
        while len(self._fertig) > self._vorrat:
            self._fertig.popitem(last=False)

    def schliessen(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


__all__ = ["Landesuebersichten", "Ausgelastet", "GLEICHZEITIG"]
