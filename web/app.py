"""Die Webanwendung: Seiten für Menschen (Jinja2, ohne JavaScript benutzbar) und die JSON-API unter ``/api/v1/``.

Beide rufen dieselben Funktionen wie ``check`` auf – ``GET /api/v1/pruefung?ags=…`` liefert genau das Dokument von
``check --format json``. durable-rules ist nicht threadsicher: der Wrapper (``engine.auswertung.durable``) lässt je
Prozess nur eine Auswertung zugleich in den C-Kern; Seiten und Berichte entstehen außerhalb dieser Sperre.

Seitenfamilien in eigenen Modulen: hier Kommune (Suche, Ergebnis, Druck, Downloads) und Fehlerseiten,
``web.regelseiten`` Regeln und Länder, ``web.api`` die JSON-API, ``web.ergebnis`` die Daten der Ergebnisseite.

Keine Anfrage hält die Ereignisschleife auf: Seiten und Auswertungen laufen im Threadpool, eingesandte Profile
(``POST``) mit höchstens ``PROFILE_GLEICHZEITIG`` zugleich, Landesübersichten in ``web.uebersichten``. Die Grenzen der
Anfragen stehen in ``web.grenzen``, die Kopfzeilen der Antworten in ``web.hygiene``, Fristen und Verbindungsgrenze
des Servers in ``web.server``.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path
from urllib.parse import urlencode

import anyio
import anyio.to_thread
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.routing import Match

from engine.ausgabe.json_vertrag import bericht_json, json_text
from engine.ausgabe.karten import OFFEN_TEXT
from engine.ausgabe.ueberblick import datum, gegenstand_text
from engine.auswertung.bericht import Bericht, erstelle_bericht
from engine.auswertung.durable import auswerter_fuer
from engine.begriffe import LAENDER, Art, land_name
from engine.fehler import EingabeFehler, EngineFehler, Fundstelle, KommunalpflichtenFehler, Meldung
from engine.kommunen.daten import SucheFehler, beschreibung
from engine.regeln.basis import Regelbasis, lade_regelbasis
from engine.zahlen import sichtbar, zahl
from web.anfrage import Angaben, kommune_mit_angaben, lies_angaben, pruefe_einmalig
from web.ergebnis import FILTER as ERGEBNIS_FILTER
from web.ergebnis import seitendaten as _seitendaten
from web.regelseiten import regelart
from web.grenzen import Grenzen
from web.hygiene import Hygiene
from web.uebersichten import Ausgelastet, Landesuebersichten

HIER = Path(__file__).parent
API = "/api/v1"
LOG = logging.getLogger("kommunalpflichten.web")
PROFILE_GLEICHZEITIG = 2  # eingesandte Profile, die zugleich gelesen und ausgewertet werden


def _sichtbar_ausser_markup(wert):
    if isinstance(wert, Markup) or not isinstance(wert, str):
        return wert  # schon sicheres HTML (Makros, Filter) oder keine Zeichenkette
    return sichtbar(wert)


def _umgebung() -> Environment:
    """Jinja2 mit Autoescape; jeder ausgegebene Text geht zusätzlich durch ``sichtbar`` (Steuer- und Bidi-Zeichen
    aus Namen oder Parametern erscheinen als \\u-Folge statt die Seite umzudrehen)."""
    env = Environment(loader=FileSystemLoader(HIER / "templates"), autoescape=select_autoescape(["html"]),
                      finalize=_sichtbar_ausser_markup, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(datum=datum, zahl=lambda n: zahl(n) if isinstance(n, int) else n, gegenstand=gegenstand_text,
                       beschreibung=beschreibung, land=lambda c: LAENDER[c].name if c in LAENDER else c, landname=land_name,
                       abfrage=lambda teile: urlencode(teile), regelart=regelart, **ERGEBNIS_FILTER)
    env.globals.update(Art=Art, API=API, OFFEN_TEXT=OFFEN_TEXT)
    return env


class Dienst:
    """Regelbasis, Auswerter und Landesübersichten einer laufenden Anwendung."""

    def __init__(self, regelpfade: list[Path] | None = None):
        self.regelbasis: Regelbasis = lade_regelbasis(regelpfade)
        self.auswerter = auswerter_fuer(self.regelbasis)
        self.uebersichten = Landesuebersichten(regelpfade)

    def bericht(self, ags: str, angaben: Angaben) -> Bericht:
        from engine.kommunen.suche import finde_ags

        datensatz = finde_ags(ags)
        kommune = kommune_mit_angaben(datensatz.profil(angaben.stichtag), angaben)
        return erstelle_bericht(kommune, angaben.stichtag, self.regelbasis, self.auswerter)


def _ist_api(request: Request) -> bool:
    return request.url.path.startswith(API)


def _meldungen_json(meldungen: list[Meldung]) -> list[dict]:
    ergebnis = []
    for m in meldungen:
        f = m.fundstelle
        eintrag = {"ort": f.datei, "meldung": m.text}
        if f.zeile is not None:
            eintrag.update(zeile=f.zeile, spalte=f.spalte)
        if f.feld:
            eintrag["feld"] = f.feld
        if m.hinweis:
            eintrag["hinweis"] = m.hinweis
        ergebnis.append(eintrag)
    return ergebnis


def erstelle_app(regelpfade: list[Path] | None = None) -> FastAPI:
    dienst = Dienst(regelpfade)
    env = _umgebung()
    app = FastAPI(
        title="kommunalpflichten – API",
        version="1",
        description=(
            "Pflichten und Förderprogramme einer Kommune im Bereich Migration und Integration, je mit Norm, Wortlaut "
            "und den verglichenen Zahlen. `pruefung` liefert genau das Dokument von `kommunalpflichten check "
            "--format json`. Fehler kommen als JSON mit deutscher Meldung (`fehler[].meldung`, bei Dateien mit Zeile "
            "und Spalte), nie als Traceback. Grenzen: Adresse höchstens 4.096 Zeichen, höchstens 60 Parameter, jeder "
            "höchstens einmal (außer `merkmal`), Inhalt höchstens 256 KiB, binnen 30 s, ein Profil höchstens 5.000 "
            "Werte. Ist der Server ausgelastet, antwortet er 503 mit `Retry-After`. Keine Rechtsberatung."),
        openapi_url=f"{API}/openapi.json", docs_url=None, redoc_url=None,
        dependencies=[Depends(_einmalige_parameter)],
    )
    app.router.redirect_slashes = False  # die Weiterleitung baute ihr Ziel aus der Host-Kopfzeile; web.hygiene
    app.state.dienst = dienst
    app.mount("/static", StaticFiles(directory=HIER / "static"), name="static")

    def seite(name: str, status: int = 200, **werte) -> HTMLResponse:
        werte.setdefault("heute", dt.date.today())
        return HTMLResponse(env.get_template(name).render(**werte), status_code=status)

    def fehlerantwort(request: Request, status: int, meldungen: list[Meldung], kopf: dict | None = None) -> Response:
        if _ist_api(request):
            return JSONResponse({"status": status, "fehler": _meldungen_json(meldungen)}, status_code=status,
                                headers=kopf)
        antwort = seite("fehler.html", status=status, status_code=status, meldungen=meldungen)
        antwort.headers.update(kopf or {})
        return antwort

    # ------------------------------------------------------------------------------------------ Fehlerbehandlung

    @app.exception_handler(EingabeFehler)
    async def _eingabe(request: Request, fehler: EingabeFehler):
        return fehlerantwort(request, 400, fehler.meldungen)

    @app.exception_handler(SucheFehler)
    async def _suche(request: Request, fehler: SucheFehler):
        return fehlerantwort(request, 404, [Meldung(Fundstelle("Eingabe", feld="ags"), sichtbar(str(fehler)))])

    @app.exception_handler(EngineFehler)
    async def _engine(request: Request, fehler: EngineFehler):
        return fehlerantwort(request, 503, [Meldung(Fundstelle("Regelbasis"), str(fehler))])

    @app.exception_handler(KommunalpflichtenFehler)
    async def _allgemein(request: Request, fehler: KommunalpflichtenFehler):
        return fehlerantwort(request, 400, [Meldung(Fundstelle("Eingabe"), sichtbar(str(fehler)))])

    @app.exception_handler(RequestValidationError)
    async def _validierung(request: Request, fehler: RequestValidationError):
        meldungen = []
        for f in fehler.errors():
            ort = [str(x) for x in f.get("loc", ()) if x not in ("query", "path", "body")]
            meldungen.append(Meldung(Fundstelle("Eingabe", feld=".".join(ort) or None),
                                     _validierungstext(f)))
        return fehlerantwort(request, 400, meldungen)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, fehler: StarletteHTTPException):
        texte = {404: "Diese Seite gibt es nicht.", 405: "Diese Methode ist hier nicht erlaubt."}
        text = texte.get(fehler.status_code, sichtbar(str(fehler.detail)))
        kopf = dict(fehler.headers or {})
        if fehler.status_code == 405:
            kopf["Allow"] = ", ".join(_erlaubte_methoden(app, request.scope))
        return fehlerantwort(request, fehler.status_code, [Meldung(Fundstelle(sichtbar(request.url.path[:200])), text)],
                             kopf)

    @app.exception_handler(Ausgelastet)
    async def _ausgelastet(request: Request, fehler: Ausgelastet):
        return fehlerantwort(request, 503, [Meldung(Fundstelle("Server"), str(fehler))],
                             {"Retry-After": str(fehler.sekunden)})

    @app.exception_handler(ClientDisconnect)
    async def _weg(request: Request, fehler: ClientDisconnect):
        return Response(status_code=400)  # der Client ist fort: nichts zu melden, nichts zu protokollieren

    @app.exception_handler(Exception)
    async def _unerwartet(request: Request, fehler: Exception):  # pragma: no cover - Schutznetz
        LOG.exception("Unerwarteter Fehler bei %s", request.url.path)
        return fehlerantwort(request, 500, [Meldung(Fundstelle("Server"), "Interner Fehler; er ist protokolliert. "
                                                    "Bitte versuchen Sie es erneut oder melden Sie die Adresse.")])

    # ------------------------------------------------------------------------------------------ Seiten

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon():
        return RedirectResponse("/static/favicon.svg", status_code=301)

    @app.get("/", include_in_schema=False)
    def startseite():
        from web.karten import deutschland_karte

        return seite("start.html", regelbasis=dienst.regelbasis,
                     uebersicht=deutschland_karte(dienst.regelbasis, dt.date.today()))

    @app.get("/suche", include_in_schema=False)
    def suche_seite(request: Request, q: str = "", stichtag: str = ""):
        from engine.kommunen.suche import suche, vorschlaege

        angaben = lies_angaben([("stichtag", stichtag)])
        text = q.strip()[:100]
        aus_vorschlag = re.search(r"\((\d{5}|\d{8})\)\s*$", text)  # „Offenbach am Main (06413000)“ aus der Liste
        if aus_vorschlag:
            text = aus_vorschlag.group(1)
        treffer = suche(text) if text else None
        if treffer is not None and treffer.gewaehlt is not None:
            ziel = f"/kommune/{treffer.gewaehlt.ags}?" + urlencode([("stichtag", angaben.stichtag.isoformat())])
            return RedirectResponse(ziel, status_code=303)
        ungenau = treffer is not None and treffer.ungenau  # „Meinten Sie …“ wie in der CLI, nach Ähnlichkeit
        kandidaten = treffer.kandidaten if ungenau else (vorschlaege(text, 50) if text else [])
        return seite("suche.html", q=text, kandidaten=kandidaten, angaben=angaben, ungenau=ungenau)

    def _bericht_aus(request: Request, ags: str) -> tuple[Bericht, Angaben]:
        angaben = lies_angaben(list(request.query_params.multi_items()))
        return dienst.bericht(ags, angaben), angaben

    @app.get("/kommune/{ags}", include_in_schema=False)
    def kommune_seite(request: Request, ags: str):
        bericht, angaben = _bericht_aus(request, ags)
        return seite("kommune.html", **_seitendaten(bericht, angaben))

    @app.get("/kommune/{ags}/druck", include_in_schema=False)
    def druckansicht(request: Request, ags: str):
        bericht, angaben = _bericht_aus(request, ags)
        return seite("druck.html", **_seitendaten(bericht, angaben))

    @app.get("/kommune/{ags}/bericht.{endung}", include_in_schema=False)
    def herunterladen(request: Request, ags: str, endung: str):
        if endung not in ("md", "docx", "json"):
            raise EingabeFehler([Meldung(Fundstelle("Eingabe", feld="format"),
                                         f"Kein Format „{sichtbar(endung[:20])}“; erlaubt: md, docx, json.")])
        bericht, angaben = _bericht_aus(request, ags)
        name = f"kommunalpflichten-{bericht.kommune.ags or ags}-{angaben.stichtag.isoformat()}.{endung}"
        kopf = {"Content-Disposition": f'attachment; filename="{name}"'}
        if endung == "md":
            from engine.ausgabe.markdown import markdown_bericht

            return Response(markdown_bericht(bericht), media_type="text/markdown; charset=utf-8", headers=kopf)
        if endung == "docx":
            from engine.ausgabe.docx_bericht import docx_bericht

            return Response(docx_bericht(bericht), headers=kopf, media_type=(
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
        return Response(json_text(bericht_json(bericht)), media_type="application/json; charset=utf-8", headers=kopf)

    from web.api import registriere as api_registriere
    from web.regelseiten import registriere as regelseiten_registriere

    regelseiten_registriere(app, dienst, seite)
    api_registriere(app, dienst, anyio.CapacityLimiter(PROFILE_GLEICHZEITIG))

    app.add_middleware(_GrenzenMiddleware)
    app.add_middleware(_HygieneMiddleware)  # zuletzt hinzugefügt = ganz außen: jede Antwort bekommt die Kopfzeilen
    return app


class _GrenzenMiddleware:
    """``web.grenzen.Grenzen`` als Starlette-Middleware (vor allem anderen, auch vor dem Routing)."""

    def __init__(self, app):
        self._grenzen = Grenzen(app)

    async def __call__(self, scope, receive, send):
        await self._grenzen(scope, receive, send)


class _HygieneMiddleware:
    """``web.hygiene.Hygiene`` als Starlette-Middleware (Sicherheitskopfzeilen, HEAD, Schrägstrich am Ende)."""

    def __init__(self, app):
        self._hygiene = Hygiene(app)

    async def __call__(self, scope, receive, send):
        await self._hygiene(scope, receive, send)


def _einmalige_parameter(request: Request) -> None:
    """``?ags=A&ags=B`` nahm still B: jeder Parameter außer ``merkmal`` höchstens einmal."""
    pruefe_einmalig(request.query_params.multi_items())


def _erlaubte_methoden(app: FastAPI, scope: dict) -> list[str]:
    """Die Methoden aller Routen dieses Pfads (für die Kopfzeile ``Allow`` einer 405-Antwort), GET mit HEAD."""
    methoden: set[str] = set()
    for route in app.router.routes:
        treffer, _ = route.matches(dict(scope, method="GET"))
        if treffer != Match.NONE:
            methoden |= set(getattr(route, "methods", None) or {"GET"})
    if "GET" in methoden:
        methoden.add("HEAD")
    return sorted(methoden)


def _validierungstext(fehler: dict) -> str:
    from engine.validierung import _text

    try:
        return _text(fehler)
    except Exception:  # noqa: BLE001 - unbekannte Fehlerart: allgemeine Meldung statt Absturz
        return "Ungültige Angabe."


__all__ = ["erstelle_app"]
