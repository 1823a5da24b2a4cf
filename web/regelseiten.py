"""Seiten über die Regeln selbst (``/regeln``, ``/regeln/<id>``, ``/abdeckung``): Bezeichnungen für Menschen statt
Kennungen des Regelformats („Förderprogramm“ statt „foerderung (kann)“), Länder nach ihrem Namen geordnet."""

from __future__ import annotations

from fastapi import Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from engine.begriffe import GEGENSTAENDE, LAENDER, Art
from engine.fehler import EingabeFehler, Fundstelle, Meldung
from engine.kommunen.daten import SucheFehler
from engine.regeln.basis import Regelbasis
from engine.zahlen import sichtbar
from web.anfrage import Angaben, lies_angaben

_ART = {"pflicht": "Pflicht", "foerderung": "Förderprogramm", "hinweis": "Hinweis"}
_VERB = {"muss": "muss", "soll": "soll", "kann": "kann"}


def regelart(regel) -> str:
    """„Pflicht (muss)“, „Option (kann)“, „Förderprogramm“, „Hinweis“, „Ausnahme“."""
    if regel.art is None:
        return "Ausnahme"
    verb = regel.verbindlichkeit.value if regel.verbindlichkeit else None
    if regel.art.value == "foerderung":
        return "Förderprogramm"
    if verb == "kann":
        return "Option (kann)"
    return f"{_ART[regel.art.value]} ({_VERB[verb]})" if verb else _ART[regel.art.value]


def nach_land(regeln) -> dict[str, list]:
    """Regeln je Land, die Länder nach ihrem Namen (Baden-Württemberg … Thüringen, der Bund als „Bund“ vorn)."""
    ergebnis: dict[str, list] = {}
    for regel in sorted(regeln, key=lambda r: (r.gegenstand, r.titel, r.id)):
        ergebnis.setdefault(regel.land, []).append(regel)
    return dict(sorted(ergebnis.items(), key=lambda t: (t[0] in LAENDER, LAENDER[t[0]].name if t[0] in LAENDER
                                                                          else t[0])))


def regel_oder_404(regelbasis: Regelbasis, regel_id: str):
    try:
        return regelbasis.regel(regel_id)
    except KeyError:
        raise SucheFehler(f"Keine Regel mit der Kennung „{regel_id[:100]}“ in der Regelbasis.") from None


def registriere(app, dienst, seite) -> None:
    """Die Seiten der Familie „Regeln und Länder“: /regeln, /regeln/<id>, /abdeckung, /laender, /laender/<Land>."""

    @app.get("/regeln", include_in_schema=False)
    def regeln_seite():
        return seite("regeln.html", nach_land=nach_land(g.regel for g in dienst.regelbasis.regeln.values()))

    @app.get("/regeln/{regel_id}", include_in_schema=False)
    def regel_seite(regel_id: str):
        from engine.ausgabe.prosa import regel_prosa

        regel = regel_oder_404(dienst.regelbasis, regel_id)
        return seite("regel.html", regel=regel, prosa=regel_prosa(regel, dienst.regelbasis))

    @app.get("/abdeckung", include_in_schema=False)
    def abdeckung_seite(stichtag: str = ""):
        from engine.begriffe import ABGEDECKTE_GEGENSTAENDE
        from engine.werkzeuge.abdeckung import abdeckung

        angaben = lies_angaben([("stichtag", stichtag)])
        return seite("abdeckung.html", tabelle=abdeckung(dienst.regelbasis, angaben.stichtag),
                     gegenstaende=ABGEDECKTE_GEGENSTAENDE, angaben=angaben, GEGENSTAENDE=GEGENSTAENDE)

    @app.get("/laender", include_in_schema=False)
    def laender_seite():
        return seite("laender.html", laender=LAENDER)

    @app.get("/laender/{land}", include_in_schema=False)
    async def land_seite(land: str, stichtag: str = "", karte: str = Query("", max_length=200)):
        code = land.upper()
        if code not in LAENDER:
            raise EingabeFehler([Meldung(Fundstelle("Eingabe", feld="land"), f"Unbekanntes Land „{sichtbar(land[:20])}“; "
                                         f"erlaubt: {', '.join(LAENDER)}.")])
        angaben = lies_angaben([("stichtag", stichtag)])
        uebersicht = await dienst.uebersichten.hole(code, angaben.stichtag)
        return await run_in_threadpool(_landesseite, code, uebersicht, angaben, karte)

    def _landesseite(code: str, uebersicht: dict, angaben: Angaben, karte: str) -> HTMLResponse:
        """Tabelle und Karte aus einer fertigen Übersicht (im Threadpool: das SVG zu zeichnen kostet Zeit)."""
        zeilen = []
        for rid, zaehler in sorted(uebersicht["regeln"].items()):
            regel = dienst.regelbasis.regel(rid)
            if regel.art == Art.hinweis:
                continue
            zeilen.append((regel, zaehler))
        zeilen.sort(key=lambda t: (t[0].art != Art.pflicht, t[0].gegenstand, -t[1].get("gilt", 0)))
        from web.karten import gewaehlte_regel, land_karte

        regel = gewaehlte_regel(zeilen, karte)
        kartendaten = land_karte(code, angaben.stichtag, regel, uebersicht["gebiete"]) if regel else None
        return seite("land.html", land=code, kommunen=uebersicht["kommunen"], zeilen=zeilen, angaben=angaben,
                     karte=kartendaten)


__all__ = ["regelart", "nach_land", "regel_oder_404", "registriere"]
