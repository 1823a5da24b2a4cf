"""Der HTTP-Server von ``kommunalpflichten web``: uvicorn mit Fristen und einer Verbindungsgrenze, die kein Client
aushebeln kann.

uvicorn wartet ohne Frist auf die Kopfzeilen einer Anfrage und nimmt Verbindungen an, bis die Dateideskriptoren
ausgehen (1.100 halb offene Sockets sperrten jeden neuen Client aus und schrieben 93 MB Tracebacks). Vor der
Anwendung, auf der Ebene der Verbindungen – wo eine ASGI-Schicht nichts sieht –, gilt darum:

- **Kopfzeilen-Frist** ``KOPF_FRIST``: Wer nach dem Verbindungsaufbau (oder nach der vorigen Antwort) die Kopfzeilen
  nicht vollständig geschickt hat, wird getrennt. Leerlauf zwischen Anfragen beendet uvicorns ``timeout_keep_alive``.
- **Schreib-Frist** ``SCHREIB_FRIST``: Liest ein Client die Antwort nicht ab, bleibt sie nicht ewig im Puffer.
- **Verbindungsgrenze** (``verbindungsgrenze``: unter der Grenze offener Dateien): Ist sie erreicht, weicht die
  älteste Verbindung, die noch auf ihre Kopfzeilen wartet oder leerläuft – ein neuer Client kommt also immer an die
  Reihe, solange nicht alle Verbindungen echte Anfragen bearbeiten; dann bekommt er sofort 503.
- **Ruhige Protokolle**: Fehler der Ereignisschleife (z. B. ``accept`` ohne freie Deskriptoren) ergeben eine Zeile,
  höchstens eine je Minute und Art, nie einen Traceback.

Die Grenzen des Inhalts (Größe, Lesefrist) stehen in ``web.grenzen``, die Kopfzeilen der Antworten in
``web.hygiene``.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from collections import OrderedDict

from uvicorn.protocols.http.h11_impl import H11Protocol

KOPF_FRIST = 10.0  # Sekunden für die Kopfzeilen einer Anfrage
SCHREIB_FRIST = 30.0  # Sekunden, die eine Antwort im Sendepuffer stehen darf, ohne dass der Client liest
LEERLAUF = 5  # Sekunden zwischen zwei Anfragen derselben Verbindung (uvicorns timeout_keep_alive)
RESERVE = 256  # Dateideskriptoren für alles andere: je Runde angenommene Sockets (ANNAHME), Vorlagen, Daten
WARTESCHLANGE = 2048  # Verbindungen, die der Kern vor der Annahme hält
ANNAHME = 32  # Verbindungen, die die Ereignisschleife je Runde annimmt (Listen-Warteschlange des Sockets)
HOECHSTENS = 1000  # Verbindungen, auch wenn mehr Deskriptoren frei wären
LOG = logging.getLogger("kommunalpflichten.web")

_ABWEISUNG = '{"status": 503, "fehler": [{"ort": "Server", "meldung": "Zu viele Verbindungen; bitte erneut versuchen."}]}'
_ABGEWIESEN = (b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json; charset=utf-8\r\nretry-after: 5\r\n"
               b"connection: close\r\ncontent-length: " + str(len(_ABWEISUNG.encode())).encode() + b"\r\n\r\n"
               + _ABWEISUNG.encode())


def verbindungsgrenze() -> int:
    """Höchstens ``HOECHSTENS`` Verbindungen, und immer ``RESERVE`` Deskriptoren unter der Grenze des Prozesses
    (die weiche Grenze wird, wo erlaubt, bis 4.096 angehoben)."""
    try:
        import resource

        weich, hart = resource.getrlimit(resource.RLIMIT_NOFILE)
        ziel = 4096 if hart == resource.RLIM_INFINITY else min(hart, 4096)
        if weich != resource.RLIM_INFINITY and weich < ziel:
            try:
                resource.setrlimit(resource.RLIMIT_NOFILE, (ziel, hart))
                weich = ziel
            except (ValueError, OSError):
                pass
        if weich == resource.RLIM_INFINITY:
            return HOECHSTENS
    except ImportError:  # pragma: no cover - Windows
        return HOECHSTENS
    return max(8, min(HOECHSTENS, weich - RESERVE))


class Verbindung(H11Protocol):
    """uvicorns h11-Protokoll mit Fristen und Verbindungsgrenze (siehe Modulbeschreibung)."""

    grenze = HOECHSTENS
    kopf_frist = KOPF_FRIST
    schreib_frist = SCHREIB_FRIST

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self._kopf_uhr: asyncio.TimerHandle | None = None
        self._schreib_uhr: asyncio.TimerHandle | None = None
        self._zyklus = None
        wartende = self._wartende()
        self._warte_auf_kopf()
        if len(self.connections) > self.grenze:
            opfer = next((v for v in wartende if v is not self), None)
            if opfer is not None:
                opfer._trennen()
            else:  # alle anderen bearbeiten Anfragen: diese Verbindung weist ab
                transport.write(_ABGEWIESEN)
                self._trennen(sanft=True)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        zyklus = self.cycle
        if zyklus is not None and zyklus is not self._zyklus and not zyklus.response_complete:
            self._zyklus = zyklus  # die Kopfzeilen sind da: eine Anfrage läuft
            self._kopf_fertig()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self.transport.is_closing():
            return
        if self.cycle is not None and self.cycle is not self._zyklus and not self.cycle.response_complete:
            self._zyklus = self.cycle  # eine schon mitgeschickte Anfrage (Pipelining) läuft
            self._kopf_fertig()
        else:
            self._warte_auf_kopf()

    def connection_lost(self, exc) -> None:
        self._kopf_fertig()
        self._schreib_uhr_aus()
        super().connection_lost(exc)

    def pause_writing(self) -> None:
        super().pause_writing()
        if self._schreib_uhr is None:
            self._schreib_uhr = self.loop.call_later(self.schreib_frist, self._trennen)

    def resume_writing(self) -> None:
        super().resume_writing()
        self._schreib_uhr_aus()

    # ------------------------------------------------------------------ intern

    def _wartende(self) -> OrderedDict:
        """Verbindungen, die auf Kopfzeilen warten, die älteste zuerst (je Server)."""
        zustand = self.server_state
        wartende = getattr(zustand, "kommunalpflichten_wartende", None)
        if wartende is None:
            wartende = zustand.kommunalpflichten_wartende = OrderedDict()
        return wartende

    def _warte_auf_kopf(self) -> None:
        self._kopf_fertig()
        self._wartende()[self] = None
        self._kopf_uhr = self.loop.call_later(self.kopf_frist, self._trennen)

    def _kopf_fertig(self) -> None:
        self._wartende().pop(self, None)
        if self._kopf_uhr is not None:
            self._kopf_uhr.cancel()
            self._kopf_uhr = None

    def _schreib_uhr_aus(self) -> None:
        if self._schreib_uhr is not None:
            self._schreib_uhr.cancel()
            self._schreib_uhr = None

    def _trennen(self, sanft: bool = False) -> None:
        self._kopf_fertig()
        self._schreib_uhr_aus()
        if self.transport.is_closing():
            return
        if sanft:
            self.transport.close()
        else:
            self.transport.abort()


class _RuhigeSchleife:
    """Fehler der Ereignisschleife als eine Zeile, höchstens eine je ``ABSTAND`` Sekunden und Meldung."""

    ABSTAND = 60.0

    def __init__(self):
        self._zuletzt: dict[str, float] = {}

    def __call__(self, schleife, kontext: dict) -> None:
        meldung = str(kontext.get("message", "Fehler in der Ereignisschleife"))
        jetzt = time.monotonic()
        if jetzt - self._zuletzt.get(meldung, -self.ABSTAND) < self.ABSTAND:
            return
        self._zuletzt[meldung] = jetzt
        ausnahme = kontext.get("exception")
        LOG.warning("Server: %s%s", meldung, f" ({type(ausnahme).__name__}: {ausnahme})" if ausnahme else "")


def binde(host: str, port: int) -> socket.socket:
    """Den Socket selbst binden, damit ein belegter Port eine deutsche Meldung ergibt (uvicorn beendet sonst mit
    ``sys.exit(1)`` und englischer Zeile)."""
    familie = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(familie, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(ANNAHME)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def _lange_warteschlange(sock: socket.socket) -> None:
    """asyncio setzt die Warteschlange des Sockets auf seine Zahl Annahmen je Runde (``ANNAHME``); der Kern darf
    mehr wartende Verbindungen halten, sonst warten neue Clients bei einem Ansturm auf SYN-Wiederholungen."""
    try:
        sock.listen(WARTESCHLANGE)
    except OSError:  # pragma: no cover
        pass


def starte(app, sock: socket.socket, verbindungen: int | None = None) -> None:
    """Den Server auf dem gebundenen Socket laufen lassen, bis Strg-C oder SIGTERM. ``verbindungen``: eigene
    Verbindungsgrenze (höchstens die aus der Grenze offener Dateien)."""
    import uvicorn

    Verbindung.grenze = min(verbindungen or HOECHSTENS * 10, verbindungsgrenze())
    config = uvicorn.Config(app, http=Verbindung, log_level="warning", access_log=False, server_header=False,
                            timeout_keep_alive=LEERLAUF, lifespan="off", backlog=ANNAHME)
    server = uvicorn.Server(config)

    async def laufen() -> None:
        asyncio.get_running_loop().set_exception_handler(_RuhigeSchleife())
        asyncio.get_running_loop().call_later(0.5, _lange_warteschlange, sock)
        await server.serve(sockets=[sock])

    asyncio.run(laufen())


__all__ = ["Verbindung", "binde", "starte", "verbindungsgrenze", "KOPF_FRIST"]
