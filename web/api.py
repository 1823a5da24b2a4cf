"""Die JSON-API unter ``/api/v1/``: dieselben Funktionen wie ``check`` – ``GET /api/v1/pruefung?ags=…`` liefert genau
das Dokument von ``check --format json``. Eingesandte Profile werden im Threadpool gelesen und ausgewertet, höchstens
``PROFILE_GLEICHZEITIG`` zugleich (``web.app``)."""

from __future__ import annotations

import anyio
import anyio.to_thread
from fastapi import Query, Request
from fastapi.responses import Response

from engine.ausgabe.json_vertrag import bericht_json, json_text
from engine.auswertung.bericht import erstelle_bericht
from engine.fehler import EingabeFehler, Fundstelle, Meldung
from engine.felder import MERKMALE
from engine.kommunen.daten import anzeigename, beschreibung
from engine.regeln.modell import als_daten
from web.anfrage import Angaben, kommune_mit_angaben, lies_angaben
from web.regelseiten import regel_oder_404
from web.uebersichten import Ausgelastet

API = "/api/v1"
PROFILE_WARTEND = 32  # darüber: 503 statt einer Warteschlange ohne Ende
PROFIL_KNOTEN = 5_000  # Werte in einem eingesandten Profil (eines hat wenige Dutzend)


def json_antwort(daten) -> Response:
    return Response(json_text(daten), media_type="application/json; charset=utf-8")


def registriere(app, dienst, profile_zugleich: anyio.CapacityLimiter) -> None:
    @app.get(f"{API}/pruefung", tags=["Prüfung"], summary="Pflichten und Förderung einer Kommune (nach AGS)",
             description="Dasselbe Dokument wie `kommunalpflichten check --ags AGS --format json`. Merkmale als "
                         "`merkmal=NAME=ja|nein|unbekannt` (mehrfach) oder `NAME=ja`; eigene Zahlen ersetzen die "
                         "mitgelieferten Schätzungen.",
             responses={400: {"description": "Ungültige Angabe (deutsche Meldung mit Feld)"},
                        404: {"description": "Keine Kommune mit diesem AGS"}})
    def api_pruefung(
        request: Request,
        ags: str = Query(..., description="Amtlicher Gemeindeschlüssel: 8 Ziffern, Kreise 5; auch ohne führende Null "
                                          "oder als 12-stelliger Regionalschlüssel", max_length=40),
        stichtag: str | None = Query(None, description="Rechtsstand an diesem Tag (JJJJ-MM-TT oder TT.MM.JJJJ); "
                                                       "Standard: heute", max_length=40),
        merkmal: list[str] = Query([], description="Tatsache NAME=ja|nein|unbekannt (bei Anzahlen NAME=Zahl)"),
        einwohner: str | None = Query(None, description="eigene Einwohnerzahl", max_length=20),
        auslaendische_einwohner: str | None = Query(None, description="eigene Zahl der ausländischen Einwohner "
                                                                      "(Melderegister)", max_length=20),
        auslaendische_einwohner_zaehlweise: str | None = Query(
            None, description="wie die eigene Zahl gezählt ist: melderegister, azr, fortschreibung, sonstige",
            max_length=20),
        auslaendische_einwohner_stand: str | None = Query(None, description="Stichtag der eigenen Zahl (JJJJ-MM-TT "
                                                                            "oder TT.MM.JJJJ)", max_length=40),
    ):
        angaben = lies_angaben(list(request.query_params.multi_items()), streng=True)
        return json_antwort(bericht_json(dienst.bericht(ags, angaben)))

    @app.post(f"{API}/pruefung", tags=["Prüfung"], summary="Pflichten und Förderung für ein eigenes Profil",
              description="Der Inhalt ist ein Profil wie eine Profildatei von `check` (JSON oder YAML, höchstens "
                          "256 KiB); Stichtag und Merkmale als Abfrageparameter. Fehler im Profil nennen Zeile und "
                          "Spalte.",
              openapi_extra={"requestBody": {"required": True, "description": "Kommunenprofil", "content": {
                  "application/json": {"schema": {"type": "object"}, "example": {
                      "name": "Musterstadt", "land": "HE", "typ": "gemeinde", "einwohner": 20000,
                      "auslaendische_einwohner": 1500}}}}},
              responses={400: {"description": "Ungültiges Profil oder ungültige Angabe (deutsche Meldung)"}})
    async def api_pruefung_profil(
        request: Request,
        stichtag: str | None = Query(None, description="Rechtsstand an diesem Tag; Standard: heute", max_length=40),
        merkmal: list[str] = Query([], description="Tatsache NAME=ja|nein|unbekannt"),
    ):
        roh = await request.body()
        angaben = lies_angaben(list(request.query_params.multi_items()), streng=True)
        if profile_zugleich.statistics().tasks_waiting >= PROFILE_WARTEND:
            raise Ausgelastet(5)
        # Lesen (YAML) und Auswerten im Threadpool, höchstens PROFILE_GLEICHZEITIG zugleich: die Ereignisschleife
        # bleibt frei (früher froren 30 große Listen den Server ein)
        return await anyio.to_thread.run_sync(_profil_auswerten, roh, angaben, limiter=profile_zugleich)

    def _profil_auswerten(roh: bytes, angaben: Angaben) -> Response:
        from engine.kommunen.profil import profil_aus_dokument
        from engine.yamlquelle import lese_text

        try:
            text = roh.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise EingabeFehler([Meldung(Fundstelle("Profil", 1, 1), "Der Inhalt ist nicht UTF-8-kodiert.")]) from None
        dokument = lese_text(text, "Profil", max_knoten=PROFIL_KNOTEN)
        kommune = kommune_mit_angaben(profil_aus_dokument(dokument), angaben)
        return json_antwort(bericht_json(erstelle_bericht(kommune, angaben.stichtag, dienst.regelbasis, dienst.auswerter)))

    @app.get(f"{API}/kommunen", tags=["Kommunen"], summary="Kommunen suchen (Name oder AGS)",
             description="Vorschläge wie beim Tippen: zuerst die eindeutige Wahl, dann Namen, die mit dem Text "
                         "beginnen, dann solche, die ihn enthalten.")
    def api_kommunen(suche: str = Query(..., min_length=1, max_length=100, description="Name oder AGS (auch Anfang)"),
                     anzahl: int = Query(10, ge=1, le=50, description="höchstens so viele Treffer")):
        from engine.kommunen.suche import vorschlaege

        return json_antwort({"suche": suche, "treffer": [
            {"ags": d.ags, "name": d.name, "anzeigename": anzeigename(d), "beschreibung": beschreibung(d), "land": d.land, "typ": d.typ,
             "einwohner": d.einwohner} for d in vorschlaege(suche, anzahl)]})

    @app.get(f"{API}/regeln", tags=["Regeln"], summary="Alle Regeln der Regelbasis",
             description="Je Regel Kennung, Land, Titel, Art, Verbindlichkeit, Gegenstand und Geltungszeitraum.")
    def api_regeln(land: str | None = Query(None, max_length=2, description="nur dieses Land (z. B. HE)")):
        regeln = [r for r in [g.regel for g in dienst.regelbasis.regeln.values()] if land is None or r.land == land.upper()]
        return json_antwort({"fingerabdruck": dienst.regelbasis.fingerabdruck, "anzahl": len(regeln), "regeln": [
            {"id": r.id, "land": r.land, "titel": r.titel, "art": r.art.value if r.art else None,
             "rolle": r.rolle.value, "gegenstand": r.gegenstand,
             "verbindlichkeit": r.verbindlichkeit.value if r.verbindlichkeit else None,
             "gueltig_ab": r.versionen[0].gueltig_ab.isoformat(),
             "gueltig_bis": r.versionen[-1].gueltig_bis.isoformat() if r.versionen[-1].gueltig_bis else None}
            for r in sorted(regeln, key=lambda r: r.id)]})

    @app.get(f"{API}/regeln/{{regel_id}}", tags=["Regeln"], summary="Eine Regel mit allen Fassungen und Wortlaut",
             description="Die Regeldatei als JSON und ihre Beschreibung in Prosa (wie `regeln zeigen`).",
             responses={404: {"description": "Keine Regel mit dieser Kennung"}})
    def api_regel(regel_id: str):
        from engine.ausgabe.prosa import regel_prosa

        regel = regel_oder_404(dienst.regelbasis, regel_id)
        inhalt = als_daten(regel)
        return json_antwort({"regel": inhalt, "prosa": regel_prosa(regel, dienst.regelbasis)})

    @app.get(f"{API}/merkmale", tags=["Regeln"], summary="Die Merkmale (Tatsachen), nach denen Regeln fragen")
    def api_merkmale():
        return json_antwort({"merkmale": [{"name": n, "art": f.art, "frage": f.frage or f.bezeichnung}
                                   for n, f in MERKMALE.items()]})


__all__ = ["registriere", "json_antwort", "API"]
