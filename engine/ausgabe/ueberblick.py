"""„Auf einen Blick“: die Antwort zuerst – Pflichten, beantragbare Förderung, offene Fragen, nächste Frist.

Formatneutral: Text, Markdown, HTML, DOCX und die Webseite zeigen dieselbe Zusammenfassung. Dazu die Bezeichnungen,
die jede Ausgabe für ein Ergebnis braucht (keine internen Kürzel in Texten für Menschen).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from engine.auswertung.bericht import Bericht, Ergebnis
from engine.begriffe import GEGENSTAENDE, PRUEFSTATUS_TEXT, Art, Status, Verbindlichkeit
from engine.zahlen import zahl

VERB_ERKLAERUNG = {
    Verbindlichkeit.muss: "Pflicht",
    Verbindlichkeit.soll: "Soll-Vorschrift: im Regelfall verpflichtend, Abweichung nur in atypischen Fällen mit Begründung",
    Verbindlichkeit.kann: "Kann-Vorschrift: Option nach Ermessen, keine Pflicht",
}


def marke(e: Ergebnis) -> str:
    """Die Verbindlichkeit in Großbuchstaben – nie nur durch Farbe ausgedrückt."""
    r = e.regel
    if r.art == Art.foerderung:
        grund = "FÖRDERFÄHIG"
    elif r.verbindlichkeit is None:
        grund = "HINWEIS"
    else:
        grund = r.verbindlichkeit.value.upper()
    szenario = " (SZENARIO)" if r.entwurf else ""
    if e.status == Status.unbestimmt:
        return (f"OFFEN ({grund.lower()})" if grund != "FÖRDERFÄHIG" else "OFFEN (förderfähig?)") + szenario
    if e.status == Status.entfaellt:
        return f"ENTFÄLLT ({grund.lower()})" + szenario
    if e.norm_vorbehalt and r.art == Art.pflicht:
        return f"VORBEHALT ({grund.lower()})" + szenario  # Zuständigkeit belegt, Norm nicht: nie eine schlichte Pflicht
    return grund + szenario


def gegenstand_text(code: str) -> str:
    g = GEGENSTAENDE.get(code)
    return g.kurz or g.bezeichnung if g else code


def norm(e: Ergebnis) -> str:
    return e.version.zitat.norm


def fundstelle_text(z) -> str:
    """„§ 84 Satz 1 HGO (GVBl. I S. 142)“: Norm mit amtlicher Fundstelle, wie sie in einer Beschlussvorlage steht."""
    return f"{z.norm} ({z.amtliche_fundstelle})" if z.amtliche_fundstelle else z.norm


def abgleich_text(z) -> str:
    """Womit der Wortlaut abgeglichen wurde (ein Spiegel darf hier stehen, nie als Quelle)."""
    if not z.quelle_wortlaut:
        return ""
    am = f", {z.abgerufen:%d.%m.%Y}" if z.abgerufen else ""
    return f"Wortlaut abgeglichen mit: {z.quelle_wortlaut}{am}"


def norm_vorbehalt_text(e: Ergebnis) -> str:
    """Der sichtbare Vorbehalt einer belegten Zuständigkeit ohne gefundene Norm, mit der Suche, die es belegt."""
    z = e.version.zitat
    if z.norm_ermittelt:
        return ""
    r = z.recherche
    return f"Vorbehalt: {e.norm_vorbehalt}. Gesucht am {r.am:%d.%m.%Y}: {r.gesucht}" + (f" – {r.ergebnis}" if r.ergebnis else "")


def datum(d: dt.date) -> str:
    return d.strftime("%d.%m.%Y")


PRUEFSTATUS_KURZ = {"amtlich": "amtlich abgeglichen", "verifiziert": "Wortlaut verifiziert",
                    "sekundaerquelle": "nur Sekundärquelle", "unverifiziert": "nicht verifiziert"}


def pruefstatus_text(e: Ergebnis, kurz: bool = False) -> str:
    status = e.version.zitat.pruefstatus
    return f"Prüfstatus: {PRUEFSTATUS_KURZ[status.value]}" if kurz else PRUEFSTATUS_TEXT[status]


def betrag_text(e: Ergebnis) -> str:
    """„bis zu 145.000 € je Jahr“, „bis zu 30.000 € einmalig“ oder wovon die Höhe abhängt."""
    a = e.foerderung
    if a is None:
        return ""
    if a.betrag.hoechstbetrag is None:
        return "Höhe nicht pauschal bestimmbar"
    return f"bis zu {zahl(a.betrag.hoechstbetrag)} € {a.betrag.bezug}"


@dataclass
class Punkt:
    """Eine Zeile der Zusammenfassung."""

    marke: str
    text: str
    norm: str = ""
    zusatz: str = ""


@dataclass
class Frage:
    text: str
    option: str


@dataclass
class Ueberblick:
    gremium: list[Punkt] = field(default_factory=list)  # die Antwort auf „Müssen wir einen Beirat haben?“
    pflichtaufgaben: list[Punkt] = field(default_factory=list)  # übrige Pflichten (muss/soll)
    foerderung: list[Punkt] = field(default_factory=list)
    foerder_jahr: int = 0  # Summe der berechenbaren Höchstbeträge je Jahr
    foerder_einmalig: int = 0
    fragen: list[Frage] = field(default_factory=list)
    naechste_frist: tuple[dt.date, str] | None = None
    laeuft_aus: list[tuple[dt.date, str]] = field(default_factory=list)


def ueberblick(bericht: Bericht) -> Ueberblick:
    u = Ueberblick()
    for e in bericht.ergebnisse:
        r = e.regel
        zusatz = ""
        if e.norm_vorbehalt:
            zusatz = "Norm nicht ermittelt"
        elif e.vorbehalte:
            zusatz = "Vorbehalt: " + "; ".join(_ausnahmetitel(bericht, v) for v in e.vorbehalte)
        elif e.offen:
            zusatz = "siehe Fragen"
        if r.gegenstand == "integrationsgremium" and r.art != Art.foerderung:
            u.gremium.append(Punkt(marke(e), r.titel, norm(e), zusatz))
        elif r.art == Art.pflicht:
            text = gegenstand_text(r.gegenstand) if r.gegenstand in _AUFGABEN else r.titel
            u.pflichtaufgaben.append(Punkt(marke(e), text, norm(e), zusatz))
        elif r.art == Art.foerderung:
            u.foerderung.append(Punkt(marke(e), r.foerderung.programm if r.foerderung else r.titel, norm(e),
                                      betrag_text(e)))
            if e.status == Status.gilt and e.foerderung and e.foerderung.betrag.hoechstbetrag is not None:
                if e.foerderung.betrag.einmalig:
                    u.foerder_einmalig += e.foerderung.betrag.hoechstbetrag
                else:
                    u.foerder_jahr += e.foerderung.betrag.hoechstbetrag
            if e.foerderung and e.foerderung.naechste_frist:
                kandidat = (e.foerderung.naechste_frist, r.foerderung.programm if r.foerderung else r.titel)
                if u.naechste_frist is None or kandidat[0] < u.naechste_frist[0]:
                    u.naechste_frist = kandidat
            if e.foerderung and e.foerderung.laeuft_aus:
                u.laeuft_aus.append((e.foerderung.laeuft_aus, r.foerderung.programm if r.foerderung else r.titel))
    # Gremium: gibt es eine Muss-Pflicht, treten Kann-Optionen zurück; neben einer Soll-Vorschrift (oft für ein anderes
    # Gremium, z. B. Beauftragte) bleibt die Option sichtbar – „Müssen wir einen Beirat haben?“ wird immer beantwortet
    if any(p.marke == "MUSS" for p in u.gremium):
        u.gremium = [p for p in u.gremium if p.marke not in ("KANN", "HINWEIS")] or u.gremium
    gesehen = set()
    for e in bericht.ergebnisse:
        for f in e.offen:
            schluessel = (f.merkmal, f.bedingung)
            if schluessel not in gesehen:
                gesehen.add(schluessel)
                wenn = f" (bei „{f.bedingung}“: {e.regel.titel} – {_ausgang(f.wenn_ja)}; sonst {_ausgang(f.wenn_nein)})"
                u.fragen.append(Frage(f.frage + wenn, f.option))
    return u


def _ausnahmetitel(bericht: Bericht, v) -> str:
    regeln = bericht.regelbasis.regeln
    return regeln[v.ausnahme].regel.titel if v.ausnahme in regeln else v.frage


_AUFGABEN = ("auslaenderbehoerde", "unterbringung", "asylblg", "einbuergerung", "jugendamt")

_AUSGANG = {"gilt": "gilt", "gilt_nicht": "gilt nicht", "entfaellt": "entfällt", "unbestimmt": "weiter offen"}


def _ausgang(wert: str) -> str:
    return _AUSGANG.get(wert, wert)


def ueberblick_zeilen(bericht: Bericht, breite: int = 100, hoechstens: int = 15) -> list[str]:
    """Die Zusammenfassung als höchstens ``hoechstens`` Zeilen Text: eine Zeile je Pflicht mit Norm, die beantragbare
    Förderung mit Summe, die offenen Fragen mit der Option, die sie beantwortet, und die nächste Frist."""
    u = ueberblick(bericht)
    kopf = f"AUF EINEN BLICK (Rechtsstand {datum(bericht.stichtag)})"
    gremium = [_zeile(p.marke, p.text, p.norm, p.zusatz) for p in u.gremium[:3]] or \
        [_zeile("–", "Integrationsgremium: keine Regel der Regelbasis für diese Kommune")]
    pflichten = [p for p in u.pflichtaufgaben if p.marke in ("MUSS", "SOLL") or p.marke.startswith(("OFFEN", "VORBEHALT"))]
    einzeln = [_zeile(p.marke, p.text, p.norm, p.zusatz) for p in pflichten]
    # gebündelt eine Zeile je Marke: MUSS, SOLL, VORBEHALT und OFFEN stehen nie in derselben Zeile
    marken = list(dict.fromkeys(p.marke for p in pflichten))
    gebuendelt = [_zeile(m, ", ".join(p.text for p in pflichten if p.marke == m)
                         + (" – Norm nicht ermittelt" if m.startswith("VORBEHALT") else "")
                         + " – Normen im Abschnitt Pflichtaufgaben") for m in marken]
    foerderfaehig = [p for p in u.foerderung if p.marke == "FÖRDERFÄHIG"]
    foerderung: list[list[str]] = []
    if u.foerderung:
        for p in u.foerderung:
            foerderung.append(_zeile(p.marke, f"{p.text}: {p.zusatz}" if p.zusatz else p.text))
        summe = []
        if u.foerder_jahr:
            summe.append(f"bis zu {zahl(u.foerder_jahr)} € je Jahr")
        if u.foerder_einmalig:
            summe.append(f"{zahl(u.foerder_einmalig)} € einmalig")
        berechnet = [p for p in foerderfaehig if p.zusatz.startswith("bis zu")]
        if len(berechnet) > 1 and summe:
            foerderung.append(_zeile("", f"zusammen {' und '.join(summe)} (Haushaltsvorbehalt, kein Rechtsanspruch)"))
    else:
        foerderung.append(_zeile("FÖRDERUNG", "kein Landesprogramm der Regelbasis für diese Kommune"))
    fragen = [_zeile("FRAGE", f"{f.text} → {f.option}") for f in u.fragen]
    fristen = []
    if u.naechste_frist:
        fristen.append(_zeile("FRIST", f"{datum(u.naechste_frist[0])} – {u.naechste_frist[1].split(' (')[0]}"))
    fristen += [_zeile("ENDET", f"{programm} am {datum(ende)}") for ende, programm in u.laeuft_aus]

    def zusammen(pflichtzeilen: list[list[str]]) -> list[str]:
        teile = [gremium, pflichtzeilen, foerderung, fragen, fristen]
        return [kopf] + [z for block in teile for eintrag in block for z in _umbrechen(eintrag, breite)]

    zeilen = zusammen(einzeln)
    if len(zeilen) > hoechstens:
        zeilen = zusammen(gebuendelt)
    if len(zeilen) > hoechstens:
        zeilen = zeilen[: hoechstens - 1] + ["          … weitere Punkte in den Abschnitten unten"]
    return zeilen


def _zeile(marke_: str, text: str, norm_: str = "", zusatz: str = "") -> list[str]:
    inhalt = text + (f" – {norm_}" if norm_ else "") + (f" ({zusatz})" if zusatz else "")
    return [f"{marke_:<9} {inhalt}"]


def _umbrechen(zeile: list[str], breite: int) -> list[str]:
    import textwrap

    return textwrap.wrap(zeile[0], breite, subsequent_indent=" " * 10, break_on_hyphens=False) or [""]


__all__ = ["Ueberblick", "ueberblick", "ueberblick_zeilen", "marke", "gegenstand_text", "betrag_text", "datum",
           "fundstelle_text", "abgleich_text", "norm_vorbehalt_text",
           "VERB_ERKLAERUNG"]
