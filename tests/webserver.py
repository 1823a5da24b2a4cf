"""Ein echter ``kommunalpflichten web`` auf einem freien Port von 127.0.0.1, für Tests, die Verbindungen, Fristen und
Nebenläufigkeit brauchen (der ``TestClient`` läuft im Prozess und kennt keine Sockets)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from .conftest import WURZEL


@dataclass
class Server:
    adresse: str
    port: int
    prozess: subprocess.Popen
    protokoll: object  # Datei mit stderr des Servers

    def text_des_protokolls(self) -> str:
        self.protokoll.flush()
        self.protokoll.seek(0)
        return self.protokoll.read().decode("utf-8", "replace")


def freier_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def abruf(url: str, daten: bytes | None = None, frist: float = 60, methode: str | None = None,
          kopf: dict | None = None) -> tuple[float, int, dict, bytes]:
    """(Dauer, Status, Kopfzeilen, Inhalt); Status 0, wenn keine Antwort kam."""
    beginn = time.monotonic()
    anfrage = urllib.request.Request(url, data=daten, method=methode, headers=kopf or {})
    try:
        with urllib.request.urlopen(anfrage, timeout=frist) as antwort:
            return time.monotonic() - beginn, antwort.status, dict(antwort.headers), antwort.read()
    except urllib.error.HTTPError as exc:
        return time.monotonic() - beginn, exc.code, dict(exc.headers), exc.read()
    except OSError:
        return time.monotonic() - beginn, 0, {}, b""


@contextlib.contextmanager
def echter_server(*zusatz: str, frist: float = 90):
    port = freier_port()
    protokoll = tempfile.TemporaryFile()
    prozess = subprocess.Popen([sys.executable, "-m", "cli.main", "web", "--port", str(port), *zusatz], cwd=WURZEL,
                               stdout=subprocess.DEVNULL, stderr=protokoll,
                               env=dict(os.environ, KOMMUNALPFLICHTEN_CACHE="aus"))
    server = Server(f"http://127.0.0.1:{port}", port, prozess, protokoll)
    try:
        ende = time.monotonic() + frist
        while abruf(server.adresse + "/api/v1/merkmale", frist=2)[1] != 200:
            if prozess.poll() is not None or time.monotonic() > ende:
                raise RuntimeError("Der Server startet nicht:\n" + server.text_des_protokolls())
            time.sleep(0.3)
        yield server
    finally:
        prozess.terminate()
        try:
            prozess.wait(timeout=30)
        except subprocess.TimeoutExpired:  # pragma: no cover
            prozess.kill()
            prozess.wait()
        protokoll.close()


def roh(port: int, anfrage: bytes, frist: float = 20) -> bytes:
    """Eine Anfrage Byte für Byte wie geschrieben; die Antwort bis der Server schließt oder ``frist`` abläuft."""
    with socket.create_connection(("127.0.0.1", port), timeout=frist) as s:
        s.sendall(anfrage)
        teile = []
        ende = time.monotonic() + frist
        while time.monotonic() < ende:
            try:
                teil = s.recv(65536)
            except socket.timeout:
                break
            except OSError:
                break
            if not teil:
                break
            teile.append(teil)
            if b"\r\n\r\n" in b"".join(teile) and _vollstaendig(b"".join(teile)):
                break
        return b"".join(teile)


def _vollstaendig(antwort: bytes) -> bool:
    kopf, _, inhalt = antwort.partition(b"\r\n\r\n")
    for zeile in kopf.split(b"\r\n")[1:]:
        name, _, wert = zeile.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(inhalt) >= int(wert.strip() or 0)
    return False
