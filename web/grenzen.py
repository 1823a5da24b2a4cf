"""Grenzen jeder Anfrage, bevor die Anwendung sie sieht: Länge der Adresse, Zahl der Parameter, Größe des Inhalts.

Als reine ASGI-Schicht, damit auch ein Körper ohne ``Content-Length`` (chunked) nicht unbegrenzt gelesen wird. Die
Antworten sind JSON mit deutscher Meldung, wie die übrigen Fehler der API."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl

MAX_URL = 4096  # Zeichen in Pfad und Abfrage
MAX_PARAMETER = 60  # Abfrageparameter je Anfrage
MAX_KOERPER = 256 * 1024  # Bytes; ein Profil ist wenige hundert Bytes groß


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

        async def begrenzt():
            nonlocal gelesen
            nachricht = await receive()
            if nachricht["type"] == "http.request":
                gelesen += len(nachricht.get("body", b""))
                if gelesen > MAX_KOERPER:
                    raise _ZuGross()
            return nachricht

        try:
            await self.app(scope, begrenzt, send)
        except _ZuGross:
            await _antwort(send, 413, f"Der Inhalt ist zu groß (höchstens {MAX_KOERPER // 1024} KiB).")


class _ZuGross(Exception):
    pass


async def _antwort(send, status: int, text: str) -> None:
    inhalt = fehler_json(status, text)
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(inhalt)).encode())]})
    await send({"type": "http.response.body", "body": inhalt})
