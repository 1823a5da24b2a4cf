"""Was jede Antwort mitbringt und jede Anfrage einheitlich macht – als ASGI-Schicht vor dem Routing:

- **Sicherheitskopfzeilen** auf jeder Antwort: eine Content-Security-Policy (nur eigene Skripte, Stile und Bilder,
  keine Einbettung in fremde Rahmen), ``X-Content-Type-Options: nosniff``, ``X-Frame-Options: DENY``,
  ``Referrer-Policy: no-referrer``.
- **HEAD** wie GET, ohne Inhalt (vorher 405 auf jeder Seite).
- **Schrägstrich am Ende** (``/regeln/``): dieselbe Seite wie ohne, intern umgeschrieben – keine Weiterleitung, also
  auch keine, deren Ziel aus der ``Host``-Kopfzeile stammt (vorher ``location: http://evil.example/regeln``).
"""

from __future__ import annotations

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
KOPFZEILEN = [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
              (b"x-frame-options", b"DENY"), (b"referrer-policy", b"no-referrer"),
              (b"cross-origin-opener-policy", b"same-origin")]


class Hygiene:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        kopf = scope["method"] == "HEAD"
        pfad = scope.get("path", "")
        if kopf or (len(pfad) > 1 and pfad.endswith("/")):
            scope = dict(scope)
            if kopf:
                scope["method"] = "GET"
            if len(pfad) > 1 and pfad.endswith("/"):
                scope["path"] = pfad.rstrip("/") or "/"
                roh = scope.get("raw_path")
                if roh:
                    scope["raw_path"] = roh.rstrip(b"/") or b"/"

        async def mit_kopfzeilen(nachricht):
            if nachricht["type"] == "http.response.start":
                vorhanden = {name.lower() for name, _ in nachricht.get("headers", [])}
                nachricht = dict(nachricht, headers=list(nachricht.get("headers", []))
                                 + [(n, w) for n, w in KOPFZEILEN if n not in vorhanden])
            elif kopf and nachricht["type"] == "http.response.body":
                nachricht = dict(nachricht, body=b"")
            await send(nachricht)

        await self.app(scope, receive, mit_kopfzeilen)


__all__ = ["Hygiene", "CSP"]
