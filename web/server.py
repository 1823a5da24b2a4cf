"""Der HTTP-Server von ``kommunalpflichten web``: uvicorn mit Fristen und einer Verbindungsgrenze, die kein Client
aushebeln kann.

uvicorn wartet ohne Frist auf die Kopfzeilen einer Anfrage und nimmt Verbindungen an, bis die Dateideskriptoren
ausgehen (1.100 halb offene Sockets sperrten jeden neuen Client aus und schrieben 93 MB Tracebacks). Vor der
Anwendung, auf der Ebene der Verbindungen – wo eine ASGI-Schicht nichts sieht –, gilt darum:

- **Kopfzeilen-Frist** ``KOPF_FRIST``: Wer nach dem Verbindungsaufbau (oder nach der vorigen Antwort) die Kopfzeilen
  nicht vollständig geschickt hat, wird getrennt. Leerlauf zwischen Anfragen beendet uvicorns ``timeout_keep_alive``.
- **Schreib-Frist** ``SCHREIB_FRIST``: Liest ein Client die Antwort nicht ab, bleibt sie nicht ewig im Puffer.
- **Verbindungsgrenze** (``verbindungsgrenze``: unter der Grenze offener Dateien): Ist sie erreicht, weicht die
  älteste Verbindung, die mit halben Kopfzeilen wartet oder nach einer Antwort leerläuft, sonst die älteste, die seit
  ``MINDESTALTER`` ohne ein Byte wartet – halb offene Sockets sperren also niemanden aus. Gibt es keine (alle
  bearbeiten Anfragen oder sind eben erst gekommen), bekommt der neue Client sofort 503 mit ``Retry-After``.
- **Ruhige Protokolle**: Fehler der Ereignisschleife (z. B. ``accept`` ohne freie Deskriptoren) und uvicorns
  Warnungen ergeben eine Zeile, höchstens eine je Minute und Art, nie einen Traceback; eine unlesbare Anfrage bekommt
  eine deutsche Meldung (400).

Die Grenzen des Inhalts (Größe, Lesefrist) stehen in ``web.grenzen``, die Kopfzeilen der Antworten in
``web.hygiene``.
"""

from __future__ import annotations

import asyncio
import json
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
MINDESTALTER = 1.0  # Sekunden, die eine Verbindung gewartet haben muss, bevor sie einer neuen weicht
NACHLAUF = 2.0  # Sekunden, die eine abgelehnte Verbindung noch Daten verwerfen darf
LOG = logging.getLogger("kommunalpflichten.web")



def _antwort(status: bytes, text: str, zusatz: bytes = b"") -> bytes:
    """Eine fertige HTTP-Antwort mit deutscher JSON-Meldung, für Fälle vor jeder Anwendung."""
    inhalt = json.dumps({"status": int(status[:3]), "fehler": [{"ort": "Anfrage", "meldung": text}]},
                        ensure_ascii=False).encode()
    return (b"HTTP/1.1 " + status + b"\r\ncontent-type: application/json; charset=utf-8\r\n" + zusatz
            + b"x-content-type-options: nosniff\r\nconnection: close\r\ncontent-length: "
            + str(len(inhalt)).encode() + b"\r\n\r\n" + inhalt)


_ABGEWIESEN = _antwort(b"503 Service Unavailable", "Zu viele Verbindungen; bitte erneut versuchen.",
                       b"retry-after: 5\r\n")
_UNGUELTIG = _antwort(b"400 Bad Request", "Das ist keine gültige HTTP-Anfrage.")


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
        self._abgelehnt = False
        if len(self.connections) > self.grenze:
            opfer = self._opfer()
            if opfer is None:
                self._ablehnen(_ABGEWIESEN)
                return
            opfer._trennen()
        self._warte_auf_kopf()

    def data_received(self, data: bytes) -> None:
        if self._abgelehnt:
            return  # schon beantwortet; der Rest wird verworfen, bis der Client schließt
        super().data_received(data)
        zyklus = self.cycle
        if zyklus is not None and zyklus is not self._zyklus and not zyklus.response_complete:
            self._zyklus = zyklus  # die Kopfzeilen sind da: eine Anfrage läuft
            self._kopf_fertig()
        elif self in self._wartende():  # halbe Kopfzeilen: wer so wartet, darf einer neuen Verbindung weichen
            self._verdraengbar().setdefault(self, None)

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self.transport.is_closing():
            return
        if self.cycle is not None and self.cycle is not self._zyklus and not self.cycle.response_complete:
            self._zyklus = self.cycle  # eine schon mitgeschickte Anfrage (Pipelining) läuft
            self._kopf_fertig()
        else:
            self._warte_auf_kopf(leerlauf=True)

    def connection_lost(self, exc) -> None:
        self._kopf_fertig()
        self._schreib_uhr_aus()
        super().connection_lost(exc)

    def send_400_response(self, msg: str) -> None:
        """Eine unlesbare Anfrage (kaputte Kopfzeilen, falsches Protokoll): deutsche Meldung statt englischem Text."""
        self._ablehnen(_UNGUELTIG)

    def pause_writing(self) -> None:
        super().pause_writing()
        if self._schreib_uhr is None:
            self._schreib_uhr = self.loop.call_later(self.schreib_frist, self._trennen)

    def resume_writing(self) -> None:
        super().resume_writing()
        self._schreib_uhr_aus()

    # ------------------------------------------------------------------ intern

    def _wartende(self) -> OrderedDict:
        """Verbindungen, die auf Kopfzeilen warten, mit dem Beginn des Wartens, die älteste zuerst (je Server)."""
        return self._verzeichnis("kommunalpflichten_wartende")

    def _verdraengbar(self) -> OrderedDict:
        """Wartende, die sofort weichen dürfen: mit halben Kopfzeilen (ein Client schickt seine Kopfzeilen in einem
        Stück – halbe sind langsam oder ein Angriff) oder leerlaufend nach einer Antwort."""
        return self._verzeichnis("kommunalpflichten_verdraengbar")

    def _verzeichnis(self, name: str) -> OrderedDict:
        verzeichnis = getattr(self.server_state, name, None)
        if verzeichnis is None:
            verzeichnis = OrderedDict()
            setattr(self.server_state, name, verzeichnis)
        return verzeichnis

    def _opfer(self) -> "Verbindung | None":
        """Wer einer neuen Verbindung weicht: die älteste verdrängbare; sonst die älteste wartende ohne Daten, wenn sie
        schon ``MINDESTALTER`` wartet – eine eben geöffnete schickt ihre Anfrage vielleicht gerade, und ihre Daten
        liegen noch ungelesen im Kern (ein Ansturm echter Clients ist kein Angriff); sonst niemand."""
        opfer = next(iter(self._verdraengbar()), None)
        if opfer is not None:
            return opfer
        opfer, seit = next(iter(self._wartende().items()), (None, 0.0))
        return opfer if opfer is not None and time.monotonic() - seit >= MINDESTALTER else None

    def _warte_auf_kopf(self, leerlauf: bool = False) -> None:
        self._kopf_fertig()
        self._wartende()[self] = time.monotonic()
        if leerlauf:
            self._verdraengbar()[self] = None
        self._kopf_uhr = self.loop.call_later(self.kopf_frist, self._trennen)

    def _kopf_fertig(self) -> None:
        self._wartende().pop(self, None)
        self._verdraengbar().pop(self, None)
        if self._kopf_uhr is not None:
            self._kopf_uhr.cancel()
            self._kopf_uhr = None

    def _schreib_uhr_aus(self) -> None:
        if self._schreib_uhr is not None:
            self._schreib_uhr.cancel()
            self._schreib_uhr = None

    def _ablehnen(self, antwort: bytes) -> None:
        """Eine fertige Antwort schicken und die Verbindung sanft schließen: erst unsere Seite (FIN), dann – was der
        Client noch schickt, wird verworfen – nach ``NACHLAUF`` Sekunden ganz. Ein sofortiges Schließen bei noch
        eintreffenden Daten ergäbe ein RST, und der Client sähe die Antwort nie."""
        self._kopf_fertig()
        self._abgelehnt = True
        if self.transport.is_closing():
            return
        zyklus = self.cycle
        if zyklus is not None and not zyklus.response_complete:
            # Müll hinter einer Anfrage, deren Antwort noch entsteht (Content-Length zu klein): keine zweite Antwort
            # dazwischen – die laufende kommt zu Ende, danach schließt uvicorn (keep_alive aus); der Rest wird verworfen
            zyklus.keep_alive = False
            self._kopf_uhr = self.loop.call_later(self.schreib_frist, self._trennen)
            return
        try:
            self.transport.write(antwort)
            if self.transport.can_write_eof():
                self.transport.write_eof()
        except OSError:  # der Client ist schon fort (ENOTCONN)
            self._trennen()
            return
        self._kopf_uhr = self.loop.call_later(NACHLAUF, self._trennen)

    def _trennen(self) -> None:
        """Sofort trennen (Frist abgelaufen, verdrängt): ein Client, der nichts Vollständiges geschickt hat, bekommt
        keine Antwort."""
        self._kopf_fertig()
        self._schreib_uhr_aus()
        if not self.transport.is_closing():
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


class _SeltenesProtokoll(logging.Filter):
    """uvicorns Warnungen (unlesbare Anfrage, nicht unterstütztes Upgrade) höchstens einmal je Minute und Text: ein
    Client soll das Protokoll nicht mit einer Zeile je Anfrage füllen können. Fehler (ERROR) kommen immer durch."""

    ABSTAND = 60.0

    def __init__(self):
        super().__init__()
        self._zuletzt: dict[str, float] = {}

    def filter(self, eintrag: logging.LogRecord) -> bool:
        if eintrag.levelno >= logging.ERROR:
            return True
        jetzt = time.monotonic()
        text = str(eintrag.msg)
        if jetzt - self._zuletzt.get(text, -self.ABSTAND) < self.ABSTAND:
            return False
        self._zuletzt[text] = jetzt
        return True


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
    config = uvicorn.Config(app, http=Verbindung, ws="none", log_level="warning", access_log=False,
                            server_header=False, timeout_keep_alive=LEERLAUF, lifespan="off", backlog=ANNAHME)
    server = uvicorn.Server(config)
    logging.getLogger("uvicorn.error").addFilter(_SeltenesProtokoll())

    async def laufen() -> None:
        asyncio.get_running_loop().set_exception_handler(_RuhigeSchleife())
        asyncio.get_running_loop().call_later(0.5, _lange_warteschlange, sock)
        await server.serve(sockets=[sock])

    asyncio.run(laufen())


__all__ = ["Verbindung", "binde", "starte", "verbindungsgrenze", "KOPF_FRIST"]
