"""Grenzen jeder Anfrage, bevor die Anwendung sie sieht: Länge der Adresse, Zahl der Parameter, Größe des Inhalts
und die Zeit, ihn zu schicken.

Als reine ASGI-Schicht, damit auch ein Körper ohne ``Content-Length`` (chunked) nicht unbegrenzt gelesen wird und
ein Client, der ihn Byte für Byte tröpfeln lässt, nach ``LESE_FRIST`` Sekunden eine Antwort (408) bekommt statt die
Verbindung ewig zu halten. Was vor dem Routing scheitert, ist JSON mit deutscher Meldung; Fehler beim Lesen des
Inhalts gehen als ``HTTPException`` an die Fehlerbehandlung der Anwendung (Seite oder JSON, je nach Adresse)."""

from __future__ import annotations

import asyncio
import json
import time
from urllib.parse import parse_qsl

from starlette.exceptions import HTTPException

MAX_URL = 4096  # Zeichen in Pfad und Abfrage
MAX_PARAMETER = 60  # Abfrageparameter je Anfrage
MAX_KOERPER = 256 * 1024  # Bytes; ein Profil ist wenige hundert Bytes groß
LESE_FRIST = 30.0  # Sekunden für den ganzen Inhalt


def fehler_json(status: int, text: str, ort: str = "Anfrage") -> bytes:
    return json.dumps({"status": status, "fehler": [{"ort": ort, "meldung": text}]}, ensure_ascii=False).encode()


class Grenzen:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        pfad = scope.get("raw_path") or scope.get("path", "").encode()
        abfrage = scope.get("query_string", b"")
        if len(pfad) + len(abfrage) > MAX_URL:
            return await _antwort(send, 414, f"Die Adresse ist zu lang (höchstens {MAX_URL} Zeichen).")
        try:
            parameter = parse_qsl(abfrage.decode("utf-8"), keep_blank_values=True, max_num_fields=MAX_PARAMETER)
        except UnicodeDecodeError:
            return await _antwort(send, 400, "Die Adresse ist nicht UTF-8-kodiert.")
        except ValueError:
            return await _antwort(send, 400, f"Zu viele Parameter (höchstens {MAX_PARAMETER}).")
        if any("\x00" in k or "\x00" in v for k, v in parameter):
            return await _antwort(send, 400, "Ein Parameter enthält ein NUL-Zeichen.")
        laenge = dict(scope.get("headers", [])).get(b"content-length")
        if laenge is not None:
            if not laenge.isdigit():
                return await _antwort(send, 400, "Die Angabe Content-Length ist keine Zahl.")
            if int(laenge) > MAX_KOERPER:
                return await _antwort(send, 413, f"Der Inhalt ist zu groß (höchstens {MAX_KOERPER // 1024} KiB).")
        gelesen = 0
        frist = time.monotonic() + LESE_FRIST
        fertig = False

        async def begrenzt():
            nonlocal gelesen, fertig
            if fertig:  # nach dem Inhalt wartet nur noch, wer auf das Ende der Verbindung horcht
                return await receive()
            try:
                nachricht = await asyncio.wait_for(receive(), timeout=max(frist - time.monotonic(), 0.001))
            except asyncio.TimeoutError:
                raise HTTPException(408, f"Der Inhalt kam nicht innerhalb von {LESE_FRIST:.0f} Sekunden an.") from None
            if nachricht["type"] != "http.request" or not nachricht.get("more_body", False):
                fertig = True
            if nachricht["type"] == "http.request":
                gelesen += len(nachricht.get("body", b""))
                if gelesen > MAX_KOERPER:
                    raise HTTPException(413, f"Der Inhalt ist zu groß (höchstens {MAX_KOERPER // 1024} KiB).")
            return nachricht

        await self.app(scope, begrenzt, send)


async def _antwort(send, status: int, text: str) -> None:
    inhalt = fehler_json(status, text)
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(inhalt)).encode())]})
    await send({"type": "http.response.body", "body": inhalt})
