"""JSONL der Massenauswertung: eine Zeile je Kommune, genau das Dokument von ``check --format json``
(docs/json-vertrag.md) – mit den festen Teilen (Zitate, Titel, Rechtsfolgen, Hinweise) je Regelfassung und den
wiederkehrenden Ergebnissen je Inhalt einmal kodiert."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass, field

from engine.ausgabe.json_vertrag import JSON_SCHEMA_VERSION, bericht_rest_json, demnaechst_json, ergebnis_json, \
    kommune_json, nicht_erfuellt_json, zitat_json
from engine.auswertung import dokumentklasse
from engine.auswertung.bericht import Ergebnis, bericht_aus, bericht_ergebnis, erstelle_bericht, nicht_erfuellt_eintrag, \
    werte_aus
from engine.auswertung.dokumentklasse import im_land_gefragt, liest_zahlen
from engine.auswertung.vergleich import demnaechst_aus, rechtsaenderungen
from engine.kommunen.profil import Kommune
from engine.regeln.basis import Regelbasis
from engine.zahlen import sichtbar

MARKE = "\ue000"  # Platzhalter: dieses Zeichen und die Nummer des einmal kodierten Texts
MINDESTLAENGE = 40  # kürzere Texte kodiert ``json`` schneller, als ein Platzhalter sie einsetzt
HOECHSTENS_TEXTE = 100_000  # danach beginnen Nummern und gemerkte Ergebnisse von vorn (zwischen zwei Dokumenten)


def ergebnis_schluessel(e: Ergebnis) -> tuple:
    """Alles, woraus ``ergebnis_json`` den Eintrag eines Ergebnisses baut (Regel und Fassung über ihre Identität, die
    Texte und Werte selbst). Gleicher Schlüssel ⇒ gleicher Eintrag; ``tests/test_jsonl_teile.py`` prüft, dass jedes
    Feld der beteiligten Datenklassen hier vorkommt."""
    f = e.foerderung
    return (id(e.regel), e.version_index, e.status, tuple(e.begruendung),
            tuple((a.regel, a.titel, a.greift, tuple(a.begruendung), id(a.zitat)) for a in e.ausnahmen),
            None if f is None else (f.betrag.hoechstbetrag, f.betrag.rechnung, f.betrag.parameter_ab, f.betrag.einmalig,
                                    f.betrag.laufzeit, f.naechste_frist, f.laeuft_aus),
            tuple((o.merkmal, o.frage, o.bedingung, o.wenn_ja, o.wenn_nein, o.option) for o in e.offen),
            tuple((v.merkmal, v.frage, v.ausnahme, v.option) for v in e.vorbehalte))


class JsonlFormat:
    """Eine Zeile je Kommune. Die Zitate (rund 60 % jeder Zeile) und die langen festen Texte einer Regel werden einmal
    kodiert: im Dokument steht zunächst ein Platzhalter, der kodierte Text ersetzt ihn danach. Ebenso ein ganzes
    Ergebnis, sobald dasselbe Ergebnis (``ergebnis_schluessel``) ein zweites Mal vorkommt – die meisten Ergebnisse
    wiederholen sich in Tausenden Kommunen; eines mit den Zahlen der Kommune in der Begründung kommt meist nur einmal
    vor und wird wie bisher kodiert. Das ist derselbe Text wie ``json_text(bericht_json(…))``: kompaktes JSON kodiert
    ein verschachteltes Objekt oder einen Text wie einen einzelnen, und ``sichtbar`` ersetzt Zeichen für Zeichen. Steht
    U+E000 auch in den Daten (mehr Marken als gesetzte Platzhalter), wird ohne Platzhalter kodiert."""

    def __init__(self, regelbasis: Regelbasis, stichtag: dt.date):
        self.regelbasis, self.stichtag = regelbasis, stichtag
        self._nummer: dict[int, int] = {}  # id(Zitat oder Text) → Nummer in ``_texte``
        self._texte: list[tuple[object, bytes]] = []  # (Zitat, Text oder Ergebnis; kodiert als UTF-8); hält die ids gültig
        self._ergebnisse: dict[tuple, int] = {}  # ergebnis_schluessel → Nummer in ``_texte``
        self._gesehen: set[tuple] = set()  # einmal vorgekommene Ergebnisse (beim zweiten Mal einmal kodiert)
        self._gesetzt = 0  # Platzhalter im gerade gebauten Dokument
        self._klassen: dict[tuple, tuple] = {}  # Schlüssel der Dokumentklasse → (Kurzergebnis, unbekannte Merkmale, Rest)
        self._einmal: set[tuple] = set()  # einmal vorgekommene Dokumentklassen
        self._vorlagen: dict[tuple, _Vorlage] = {}  # Klasse der Beurteilung → Vorlage (siehe ``_mit_vorlage``)
        self._rahmen: dict[tuple, list] = {}  # Schlüssel eines Eintrags ohne seine Zahlen → Rahmen (siehe ``_gerahmt``)

    def kopf(self) -> str:
        return ""

    # Arbeitspakete (``massen.paketbereiche``): Orte eines Landes teilen über ein Paket hinaus nur eine Handvoll
    # Dokumentklassen – feinere Pakete kosten fast nichts und verkürzen das Warten auf das letzte
    teile_je_prozess = 4

    def gewicht(self, land: str) -> int:
        """Aufwand je Ort: liest eine Regel des Landes Zahlen, hat fast jeder Ort einen eigenen Bericht – gemessen rund
        sechsmal so teuer wie ein Ort, dessen Bericht er mit anderen teilt."""
        return 6 if im_land_gefragt(self.regelbasis, land)[1] else 1

    def _platzhalter(self, wert, kodieren) -> str:
        nummer = self._nummer.get(id(wert))
        if nummer is None:
            nummer = self._nummer[id(wert)] = len(self._texte)
            self._texte.append((wert, _kodiert(kodieren(wert)).encode()))
        self._gesetzt += 1
        return MARKE + str(nummer)

    def _zitat(self, zitat) -> str:
        return self._platzhalter(zitat, zitat_json)

    def _fest(self, wert):
        """Ein fester Text einer Regel oder Fassung (dasselbe Objekt in jedem Bericht); kurze und andere Werte bleiben."""
        if isinstance(wert, str) and len(wert) >= MINDESTLAENGE:
            return self._platzhalter(wert, str)
        return wert

    def _ergebnis(self, bericht, e: Ergebnis):
        if bericht.regelbasis is not self.regelbasis:  # die ids im Schlüssel gelten nur in der eigenen Regelbasis
            return ergebnis_json(bericht, e, self._zitat, self._fest)
        schluessel = ergebnis_schluessel(e)
        nummer = self._ergebnisse.get(schluessel)
        if nummer is None:
            if schluessel not in self._gesehen:
                self._gesehen.add(schluessel)
                return ergebnis_json(bericht, e, self._zitat, self._fest)
            nummer = self._ergebnisse[schluessel] = len(self._texte)
            self._texte.append((e, _kodiert(ergebnis_json(bericht, e)).encode()))
        self._gesetzt += 1
        return MARKE + str(nummer)

    def __call__(self, kommune: Kommune, stichtag, regelbasis, auswerter, zwischenspeicher) -> tuple[list, bytes]:
        """(Kurzergebnis, Zeile als UTF-8). In der Massenauswertung (mit ``zwischenspeicher``) wird der Bericht je
        Dokumentklasse (``dokumentklasse.schluessel``) einmal gebaut und kodiert; je Kommune kommt nur ihr Block
        davor. Eine Klasse wird erst beim zweiten Vorkommen gemerkt – sonst hielte jede Kommune mit eigenem Bericht
        ihren Text fest. Liest eine Regel des Landes Zahlen, hat fast jede Kommune einen eigenen Bericht; dann gilt
        eine Vorlage je Klasse der Beurteilung (``_mit_vorlage``)."""
        if zwischenspeicher is None or regelbasis is not self.regelbasis:
            bericht = erstelle_bericht(kommune, stichtag, regelbasis, auswerter, zwischenspeicher)
            kurz, unbekannt, rest = _kurz(bericht), bericht.unbekannte_merkmale, self._rest(bericht)
        else:
            schluessel = dokumentklasse.schluessel(kommune, regelbasis)
            if schluessel[-1] is not None:  # der Schlüssel trägt die Zahlen
                kurz, unbekannt, rest = self._mit_vorlage(dokumentklasse.stellvertreter(kommune, regelbasis), stichtag,
                                                          auswerter, zwischenspeicher)
            else:
                klasse = self._klassen.get(schluessel)
                if klasse is None:
                    bericht = erstelle_bericht(dokumentklasse.stellvertreter(kommune, regelbasis), stichtag, regelbasis,
                                               auswerter, zwischenspeicher)
                    klasse = (_kurz(bericht), bericht.unbekannte_merkmale, self._rest(bericht))
                    if schluessel in self._einmal:
                        self._klassen[schluessel] = klasse
                    elif len(self._einmal) < HOECHSTENS_TEXTE:
                        self._einmal.add(schluessel)
                kurz, unbekannt, rest = klasse
        return kurz, b"".join((KOPF, _kodiert(kommune_json(kommune, unbekannt)).encode(), rest))

    def _rest(self, bericht) -> bytes:
        """Alles nach dem Block der Kommune, als UTF-8: ``,"stichtag":…}`` und der Zeilenumbruch."""
        self._vielleicht_leeren()
        return self._kodiere(lambda mit: bericht_rest_json(bericht, zitat=self._zitat, fest=self._fest,
                                                           ergebnis=self._ergebnis) if mit else bericht_rest_json(bericht),
                             vorn=b",", hinten=b"\n")

    def _vielleicht_leeren(self) -> None:
        if len(self._texte) > HOECHSTENS_TEXTE or len(self._gesehen) > HOECHSTENS_TEXTE:
            self._nummer.clear()  # nur zwischen zwei Dokumenten: die Nummern gelten je Dokument
            self._texte.clear()
            self._ergebnisse.clear()
            self._gesehen.clear()

    def _kodiere(self, baue, vorn: bytes = b"", hinten: bytes = b"") -> bytes:
        """``baue(True)`` (mit Platzhaltern) als kompaktes JSON in UTF-8, die Platzhalter durch ihre schon kodierten
        Texte ersetzt; ``vorn`` ersetzt die öffnende Klammer. Stehen mehr Marken im Text als gesetzt (U+E000 auch in
        den Daten), wird ``baue(False)`` ohne Platzhalter kodiert."""
        self._gesetzt = 0
        text = _kodiert(baue(True))
        if text.count(MARKE) != self._gesetzt:
            text = _kodiert(baue(False))
            return vorn + (text[1:] if vorn else text).encode() + hinten
        stuecke = self._stuecke(text, vorn)
        stuecke.append(hinten)
        return b"".join(stuecke)

    def _stuecke(self, text: str, vorn: bytes = b"") -> list:
        """Der Text in UTF-8-Stücken: Platzhalter durch ihren kodierten Text ersetzt; eine Stelle der Vorlage („S“ und
        ihre Nummer) oder ein Loch eines Rahmens („L“ und seine Nummer) bleibt als Text stehen."""
        teile = text.split(f'"{MARKE}')
        stuecke: list = [vorn, (teile[0][1:] if vorn else teile[0]).encode()]
        texte = self._texte
        for teil in teile[1:]:
            ende = teil.index('"')
            stuecke.append(texte[int(teil[:ende])][1] if teil[0].isdigit() else teil[:ende])
            stuecke.append(teil[ende + 1:].encode())
        return stuecke

    def _gerahmt(self, schluessel: tuple, baue, werte: tuple) -> bytes:
        """Ein Eintrag, von dem sich je Kommune nur ``werte`` ändern (Begründung und Abstand mit ihren Zahlen): der Rahmen
        – alles andere – wird je ``schluessel`` einmal kodiert, je Kommune nur die Werte in seine Löcher. ``baue(l)``
        baut den Eintrag mit ``l[i]`` an der Stelle des i-ten Werts; ``baue(l, False)`` ohne Platzhalter. Derselbe
        Text wie ``_kodiert(baue(werte, False))``: kompaktes JSON kodiert jeden Wert für sich."""
        rahmen = self._rahmen.get(schluessel)
        if rahmen is None:
            self._gesetzt = len(werte)
            text = _kodiert(baue(tuple(f"{MARKE}L{i}" for i in range(len(werte)))))
            if text.count(MARKE) != self._gesetzt:  # U+E000 in einem Text: ohne Rahmen
                return _kodiert(baue(werte, False)).encode()
            rahmen, stueck = [], b""
            for teil in self._stuecke(text):
                if isinstance(teil, bytes):
                    stueck += teil
                else:
                    rahmen += [stueck, int(teil[1:])]
                    stueck = b""
            rahmen.append(stueck)
            if len(self._rahmen) >= HOECHSTENS_TEXTE:
                self._rahmen.clear()
            self._rahmen[schluessel] = rahmen
        return b"".join([teil if isinstance(teil, bytes) else _kodiert(werte[teil]).encode() for teil in rahmen])

    # ------------------------------------------------------------------ Vorlagen für Länder, deren Regeln Zahlen lesen

    def _mit_vorlage(self, vertreter: Kommune, stichtag, auswerter, speicher) -> tuple[list, tuple, bytes]:
        """Der Bericht einer Kommune in einem Land, dessen Regeln Zahlen lesen (Rheinland-Pfalz: Beirat ab 1.000
        ausländischen Einwohnern). Zwei Kommunen mit gleicher Beurteilung (dasselbe geteilte Objekt von
        ``beurteile_alle``: gleiche Klassen an allen Stützpunkten, gleicher Typ, gleiche unbekannte Merkmale, bei Fragen
        zu Zahlenspannen gleiche Lage zu jeder Schwelle) und gleichen Merkmalen haben denselben Bericht – bis auf die
        Einträge, deren Text die Zahlen der Kommune nennt: Ergebnisse und nicht erfüllte Regeln, die Zahlen lesen,
        Förderungen (Staffel nach Einwohnern) und „Demnächst“ (die Klassen an künftigen Tagen). Die Vorlage hält den
        übrigen Text kodiert; diese Stellen rechnet jede Kommune mit denselben Funktionen wie ``erstelle_bericht``."""
        regelbasis = self.regelbasis
        a = werte_aus(vertreter, stichtag, regelbasis, auswerter, speicher)
        schluessel = (vertreter.land, vertreter.typ, tuple(sorted(vertreter.merkmale.items())),
                      vertreter.unsicherheit is None, id(a.beurteilungen))
        vorlage = self._vorlagen.get(schluessel)
        if vorlage is None or vorlage.beurteilungen is not a.beurteilungen:  # die Vorlage hält das Objekt (ihre id)
            bericht = bericht_aus(vertreter, stichtag, regelbasis, auswerter, a, speicher)
            vorlage = self._vorlage(bericht, a)
            if vorlage is None:  # U+E000 in einem Text: ohne Vorlage
                return _kurz(bericht), bericht.unbekannte_merkmale, self._rest(bericht)
            if len(self._vorlagen) >= HOECHSTENS_TEXTE:
                self._vorlagen.clear()
            self._vorlagen[schluessel] = vorlage
        return vorlage.kurz, vorlage.bericht.unbekannte_merkmale, self._fuelle(vorlage, vertreter, stichtag, auswerter,
                                                                               a, speicher)

    def _vorlage(self, bericht, a) -> "_Vorlage | None":
        stellen: list[tuple] = []
        regelbasis = self.regelbasis

        def stelle(*was) -> str:
            stellen.append(was)
            self._gesetzt += 1
            return f"{MARKE}S{len(stellen) - 1}"

        def ergebnis(b, e):
            if liest_zahlen(regelbasis, e.regel.id) or e.regel.foerderung is not None or a.beurteilungen[e.regel.id].spanne:
                return stelle("ergebnis", e.regel.id)
            return self._ergebnis(b, e)

        def nicht_erfuellt(n):
            return stelle("nicht_erfuellt", n.regel.id) if liest_zahlen(regelbasis, n.regel.id) else nicht_erfuellt_json(n)

        self._vielleicht_leeren()
        self._gesetzt = 0
        text = _kodiert(bericht_rest_json(bericht, zitat=self._zitat, fest=self._fest, ergebnis=ergebnis,
                                          nicht_erfuellt=nicht_erfuellt, demnaechst=lambda _: stelle("demnaechst")))
        if text.count(MARKE) != self._gesetzt:
            return None
        stuecke: list = []
        for stueck in self._stuecke(text, b","):  # aufeinanderfolgende feste Stücke zusammen
            if not isinstance(stueck, bytes):
                stuecke.append(int(stueck[1:]))  # „S“ und die Nummer der Stelle
            elif stuecke and isinstance(stuecke[-1], bytes):
                stuecke[-1] += stueck
            else:
                stuecke.append(stueck)
        stuecke.append(b"\n")
        return _Vorlage(a.beurteilungen, bericht, _kurz(bericht), stuecke, stellen)

    def _fuelle(self, vorlage: "_Vorlage", vertreter: Kommune, stichtag, auswerter, a, speicher) -> bytes:
        regelbasis = self.regelbasis
        teile: list[bytes] = []
        orte: dict = {}  # Stützpunkte als Profile (wie in ``bericht_aus``)
        grund = None
        for stueck in vorlage.stuecke:
            if isinstance(stueck, bytes):
                teile.append(stueck)
                continue
            art, *was = vorlage.stellen[stueck]
            if art == "ergebnis":  # nennt die Zahlen der Kommune: gerechnet und kodiert ohne Zwischenspeicher
                e = bericht_ergebnis(vertreter, stichtag, regelbasis, a, was[0], a.beurteilungen[was[0]], None, orte)
                schluessel = ergebnis_schluessel(e)  # alles, woraus der Eintrag entsteht – ohne die Begründung
                teile.append(self._gerahmt(("ergebnis", *schluessel[:3], *schluessel[4:]),
                                           lambda l, mit=True, e=e: _ergebnis_json_mit(vorlage.bericht, e, l[0], mit and self),
                                           (e.begruendung,)))
            elif art == "nicht_erfuellt":
                if grund is None:
                    grund = a.plan.variante(0).als_kommune(vertreter)
                regel = regelbasis.regel(was[0])
                n = nicht_erfuellt_eintrag(regel, regel.version_am(stichtag), grund, a.inferenzen[0], a.titel,
                                           a.unbekannt)
                teile.append(self._gerahmt(("nicht_erfuellt", n.regel.id, n.version_index),
                                           lambda l, mit=True, n=n: nicht_erfuellt_json(
                                               dataclasses.replace(n, begruendung=l[0], abstand=l[1])),
                                           (n.begruendung, n.abstand)))
            else:  # „Demnächst“: je Folge von Rechtsänderungen (geteiltes Objekt) einmal kodiert
                aenderungen = rechtsaenderungen(vertreter, stichtag, regelbasis, auswerter, speicher, a.plan)
                treffer = vorlage.demnaechst.get(id(aenderungen))
                if treffer is None or treffer[0] is not aenderungen:
                    liste = demnaechst_aus(aenderungen, vorlage.bericht.ergebnisse, stichtag)
                    treffer = (aenderungen, _kodiert(demnaechst_json(liste)).encode())
                    if len(vorlage.demnaechst) < HOECHSTENS_DEMNAECHST:  # hält die Folge (ihre id) am Leben
                        vorlage.demnaechst[id(aenderungen)] = treffer
                teile.append(treffer[1])
        return b"".join(teile)


def _ergebnis_json_mit(bericht, e: Ergebnis, begruendung, format_: "JsonlFormat | None") -> dict:
    """Der Eintrag des Ergebnisses mit ``begruendung`` an Stelle seiner Begründung; mit ``format_`` und dessen
    Platzhaltern für Zitate und feste Texte."""
    anders = dataclasses.replace(e, begruendung=begruendung)
    return ergebnis_json(bericht, anders, format_._zitat, format_._fest) if format_ else ergebnis_json(bericht, anders)


@dataclass
class _Vorlage:
    beurteilungen: dict  # das geteilte Objekt, dessen id im Schlüssel steht (hier am Leben gehalten)
    bericht: object  # der Bericht, aus dem die Vorlage gebaut ist (Regelbasis, unbekannte Merkmale, Förderungen)
    kurz: list
    stuecke: list  # kodierte Stücke und, als ganze Zahl, die Nummer einer Stelle
    stellen: list  # je Stelle: ("ergebnis", Regel-id) | ("nicht_erfuellt", Regel-id) | ("demnaechst",)
    demnaechst: dict = field(default_factory=dict)  # id(Rechtsänderungen) → (Rechtsänderungen, kodierter Abschnitt)


HOECHSTENS_DEMNAECHST = 64  # kodierte Abschnitte „Demnächst“ je Vorlage


KOPF = ('{"schema_version":' + json.dumps(JSON_SCHEMA_VERSION) + ',"kommune":').encode()


def _kurz(bericht) -> list:
    return [(e.regel.id, e.status.value) for e in bericht.ergebnisse]


def _kodiert(wert) -> str:
    return sichtbar(_KOMPAKT.encode(wert))


_KOMPAKT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # wie ``json_text(…, kompakt=True)`` ohne Umbruch


__all__ = ["JsonlFormat", "ergebnis_schluessel"]
