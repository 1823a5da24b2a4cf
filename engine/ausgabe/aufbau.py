"""Aus der Auswertung (``auswertung.bericht.Bericht``) das Berichtsmodell bauen – einmal für alle Formen.

Hier und nur hier wird entschieden, was ein Bericht sagt: welche Abschnitte es gibt und was in ihnen steht, welche
Frage welche Nummer hat, welche Zeile der Begründung eine Tatsache ist und welche die Spanne der Schätzung erklärt
(die steht einmal im Kopf statt in jeder Karte), und was von den Regeldateien öffentlich ist (``oeffentlich``).
"""

from __future__ import annotations

import datetime as dt
import re

from engine.ausgabe.json_vertrag import beendet_text
from engine.ausgabe.modell import ZAHLFELDER, Abhaengigkeit, Abschnitt, Aktion, Ausnahme, Berichtsmodell, Blickgruppe, \
    Eintrag, Foerderung, Frage, Fundstelle, Kopf, NichtErfuellt, Termin, Vorbehalt, Zahl
from engine.ausgabe.oeffentlich import oeffentlich
from engine.ausgabe.ueberblick import VERB_ERKLAERUNG, abgleich_text, datum, gegenstand_text, marke, \
    pruefstatus_text
from engine.auswertung.bericht import Bericht, Ergebnis
from engine.begriffe import AUFGABENTYPEN, KOMMUNALTYPEN, LAENDER, PRUEFSTATUS_TEXT, Art, Status
from engine.felder import FELDER, MERKMALE, anteil
from engine.kommunen.profil import merkmal_text
from engine.zahlen import prozent, zahl

AUFGABEN = ("auslaenderbehoerde", "unterbringung", "asylblg", "einbuergerung", "jugendamt")
LIZENZ_KURZ = "Zensus 2022; © Destatis 2025 (Datenlizenz Deutschland – Namensnennung 2.0)"
_AUSGANG = {"gilt": "gilt", "gilt_nicht": "gilt nicht", "entfaellt": "entfällt", "unbestimmt": "weiter offen"}

# Reihenfolge und Bezeichnung der Zeilen von „Auf einen Blick“ (je Marke eine; Szenario-Marken dahinter)
BLICK = {
    "MUSS": "Pflichten",
    "VORBEHALT (muss)": "Pflichten unter Vorbehalt (Norm nicht ermittelt)",
    "SOLL": "Soll-Vorschriften (im Regelfall verpflichtend)",
    "VORBEHALT (soll)": "Soll-Vorschriften unter Vorbehalt (Norm nicht ermittelt)",
    "OFFEN (muss)": "offene Pflichten – hängen von einer Frage ab",
    "OFFEN (soll)": "offene Soll-Vorschriften – hängen von einer Frage ab",
    "KANN": "Optionen (freiwillig)",
    "OFFEN (kann)": "offene Optionen – hängen von einer Frage ab",
    "FÖRDERFÄHIG": "Förderprogramme des Landes (Haushaltsvorbehalt, kein Rechtsanspruch)",
    "OFFEN (förderfähig?)": "Förderung offen – hängt von einer Frage ab",
    "ENTFÄLLT (muss)": "entfallen – eine Ausnahme greift",
    "ENTFÄLLT (soll)": "entfallen – eine Ausnahme greift",
    "ENTFÄLLT (kann)": "entfallen – eine Ausnahme greift",
    "ENTFÄLLT (förderfähig)": "entfallen – eine Ausnahme greift",
    "HINWEIS": "Hinweise (keine Pflicht dieser Kommune)",
}

_ABKUERZUNGEN = ("bzw", "z. B", "u. a", "Abs", "Nr", "vgl", "ggf", "i. V. m", "S", "ca", "d. h", "u", "a", "m", "Art",
                 "Satz", "f", "ff", "Buchst", "etc", "evtl", "gem", "insb", "lt", "o", "s", "v", "z")


def erster_satz(text: str, hoechstens: int = 220) -> str:
    """Der erste Satz (Abkürzungen wie „bzw.“ oder „Abs.“ beenden keinen Satz); leer, wenn er zu lang ist."""
    for treffer in re.finditer(r"\. (?=[A-ZÄÖÜ„])", text):
        davor = text[: treffer.start()]
        if not any(davor.endswith(" " + a) or davor == a for a in _ABKUERZUNGEN) and not davor[-1:].isdigit():
            satz = davor + "."
            return satz if len(satz) <= hoechstens else ""
    return text if len(text) <= hoechstens else ""


_BEDINGUNG_IM_TITEL = re.compile(r" (?:in|für) (?:Gemeinden|Kreisen|Landkreisen|kreisfreien Städten|Städten|Bezirken|"
                                 r"jedem|jeder|allen|kreisangehörigen)\b.*$| \(Soll-Vorschrift[^)]*\)$")


def kurztitel(titel: str) -> str:
    """„Integrationsbeirat in Gemeinden mit einem Ausländeranteil von …“ → „Integrationsbeirat“: für Übersichten;
    die Voraussetzung steht in der Karte."""
    return _BEDINGUNG_IM_TITEL.sub("", titel) or titel


def programm_am(programm: str, tag: dt.date) -> str:
    """Aus „Richtlinie A (2017–2018); Verordnung B (2019–2024); Verordnung C (seit 18.09.2024)“ das Programm, das am
    Tag gilt – beendete Programme stehen nicht neben dem laufenden."""
    teile = programm.split("; ")
    zeiten = []
    for teil in teile:
        spanne = re.search(r"\((\d{4})–(\d{4})\)$", teil)
        seit = re.search(r"\(seit (?:(\d{2})\.(\d{2})\.)?(\d{4})\)$", teil)
        if spanne:
            zeiten.append((dt.date(int(spanne[1]), 1, 1), dt.date(int(spanne[2]), 12, 31)))
        elif seit:
            zeiten.append((dt.date(int(seit[3]), int(seit[2] or 1), int(seit[1] or 1)), dt.date.max))
        else:
            return programm
    if len(teile) < 2:
        return programm
    passend = [t for t, (ab, bis) in zip(teile, zeiten) if ab <= tag <= bis]
    return passend[-1] if passend else programm


def baue(bericht: Bericht) -> Berichtsmodell:
    fragen: dict[str, Frage] = {}
    eintraege = {id(e): _eintrag(bericht, e, fragen) for e in bericht.ergebnisse}
    abschnitte = _abschnitte(bericht, eintraege)
    k = bericht.kommune
    daten_lang = (k.quelle or "").rstrip(".")
    kopf = _kopf(bericht, any(e.spanne for e in eintraege.values()))
    return Berichtsmodell(
        kopf=kopf,
        stichtag=bericht.stichtag,
        blick=_blick(abschnitte),
        summe_foerderung=_summe(list(eintraege.values())),
        fragen=list(fragen.values()),
        demnaechst=[Termin(d.datum, d.art, d.text, d.norm or "") for d in bericht.demnaechst],
        horizont=bericht.stichtag + dt.timedelta(days=365),
        abschnitte=abschnitte,
        nicht_erfuellt=_nicht_erfuellt(bericht),
        beendet=[f"Förderprogramm {p.regel.titel}: {beendet_text(p)}" for p in bericht.beendete_programme],
        luecken=[gegenstand_text(g) for g in bericht.luecken],
        fuss=_fuss(bericht),
        daten=daten_lang,
        # kurz: das Verzeichnis; wie die ausländischen Einwohner geschätzt sind, sagt der ausführliche Bericht
        daten_kurz=f"{kopf.quelle.split('; ')[0]}; {LIZENZ_KURZ}" if k.quelle and k.ags and k.typ != "bezirk" else daten_lang,
        regelbasis=bericht.regelbasis.fingerabdruck,
        auswerter=bericht.auswerter,
    )


def _kopf(bericht: Bericht, spanne_entscheidet: bool) -> Kopf:
    k = bericht.kommune
    land = LAENDER[k.land].name
    kreis = f", {k.kreis}" if k.kreis else ""
    ags = f" (AGS {k.ags})" if k.ags else ""
    zahlen = []
    for feld in ("einwohner", "auslaendische_einwohner"):
        von, bis = k.spanne(feld)
        quote = prozent(anteil(k.auslaendische_einwohner, k.einwohner)) if feld != "einwohner" else ""
        zahlen.append(Zahl(ZAHLFELDER[feld], getattr(k, feld), von, bis, quote))
    bekannt = [(FELDER[n].bezeichnung, merkmal_text(k.merkmale[n]), oeffentlich(k.merkmal_quellen.get(n, "")))
               for n in sorted(k.merkmale) if k.merkmale[n] is not None]
    offen = sorted({f.merkmal for e in bericht.ergebnisse for f in e.offen if f.merkmal in bericht.unbekannte_merkmale}
                   | {v.merkmal for e in bericht.ergebnisse for v in e.vorbehalte})
    szenario = ""
    if any(g.regel.entwurf for g in bericht.regelbasis.regeln.values()):
        anzahl = sum(1 for e in bericht.ergebnisse if e.regel.entwurf)
        szenario = (f"SZENARIO – KEIN GELTENDES RECHT: Die Regelbasis enthält Entwürfe; {anzahl} Ergebnis(se) mit "
                    "„(SZENARIO)“ beruhen darauf.")
    quelle = k.quelle or ""
    return Kopf(name=k.name, beschreibung=f"{KOMMUNALTYPEN[k.typ].bezeichnung}{kreis}, {land}{ags}", ags=k.ags or "",
                typ=KOMMUNALTYPEN[k.typ].bezeichnung, land=land, kreis=k.kreis or "", zahlen=zahlen,
                geschaetzt=k.unsicherheit is not None,
                schaetzung=oeffentlich(k.unsicherheit.grund) if k.unsicherheit else "",
                quelle=quelle.split(" Datenlizenz")[0].rstrip(". "), quelle_lang=quelle.rstrip("."),
                typ_herleitung=k.typ_herleitung or "", bekannt=bekannt,
                unbekannt=[FELDER[n].bezeichnung for n in offen], spanne_entscheidet=spanne_entscheidet,
                szenario=szenario)


def _aktion(merkmal: str) -> Aktion:
    if merkmal in ZAHLFELDER:
        return Aktion("zahl", "einwohner" if merkmal == "einwohner" else "auslaendische_einwohner")
    return Aktion("merkmal", merkmal, MERKMALE[merkmal].art == "wahrheitswert")


def _frage(fragen: dict[str, Frage], merkmal: str, text: str) -> Frage:
    if merkmal not in fragen:
        aktion = _aktion(merkmal)
        if aktion.art == "zahl":  # der Stichtag der Norm steht einmal im Kopf, bei der Spanne
            text = text.replace(" (zum Stichtag, den die Norm bestimmt)", "")
        fragen[merkmal] = Frage(len(fragen) + 1, merkmal, text, aktion)
    return fragen[merkmal]


def _eintrag(bericht: Bericht, e: Ergebnis, fragen: dict[str, Frage]) -> Eintrag:
    r, v, z = e.regel, e.version, e.version.zitat
    offen = []
    for f in e.offen:
        frage = _frage(fragen, f.merkmal, f.frage)
        ja, nein = _AUSGANG.get(f.wenn_ja, f.wenn_ja), _AUSGANG.get(f.wenn_nein, f.wenn_nein)
        frage.folgen.append(f"{r.titel}: wenn {f.bedingung}: {ja}; sonst: {nein}")
        offen.append(Abhaengigkeit(frage.nummer, f.bedingung, ja, nein, frage.aktion.art == "zahl"))
    vorbehalte = []
    if e.norm_vorbehalt:
        rech = z.recherche
        gesucht = f" Gesucht am {datum(rech.am)}: {oeffentlich(rech.gesucht)}" if rech else ""
        ergebnis = f" – {oeffentlich(rech.ergebnis)}" if rech and rech.ergebnis else ""
        kurz = oeffentlich(e.norm_vorbehalt)
        vorbehalte.append(Vorbehalt("norm", kurz, f"{kurz}.{gesucht}{ergebnis}"))
    for vb in e.vorbehalte:
        frage = _frage(fragen, vb.merkmal, vb.frage)
        ausnahme, titel = _ausnahme_text(bericht, e, vb.ausnahme)
        frage.folgen.append(f"{r.titel}: entfällt, wenn die Ausnahme greift ({ausnahme})")
        vorbehalte.append(Vorbehalt("ausnahme", f"entfällt bei der Ausnahme: {ausnahme}",
                                    f"gilt, sofern nicht die Ausnahme greift: {ausnahme}", frage.nummer, titel))
    kurz, lang, spanne = _gruende(e)
    verb_wert = r.verbindlichkeit.value if r.verbindlichkeit else None
    art = ("foerderung" if r.art == Art.foerderung else "option" if verb_wert == "kann"
           else "hinweis" if r.art == Art.hinweis or verb_wert is None else "pflicht")
    if r.foerderung:
        name = programm_am(r.foerderung.programm, bericht.stichtag)
    elif r.gegenstand in AUFGABEN or (art == "hinweis" and r.gegenstand != "integrationsgremium"):
        name = gegenstand_text(r.gegenstand)
    else:
        name = kurztitel(r.titel)
    verb = VERB_ERKLAERUNG[r.verbindlichkeit] if r.verbindlichkeit and e.status != Status.entfaellt else ""
    return Eintrag(
        regel_id=r.id, art=art, gegenstand=r.gegenstand, titel=r.titel, name=name, marke=marke(e),
        status=e.status.value, verbindlichkeit=r.verbindlichkeit.value if r.verbindlichkeit else None,
        verbindlichkeit_text=verb, rechtsfolge=e.rechtsfolge,
        kernsatz=erster_satz(e.rechtsfolge, 170) if r.art != Art.hinweis else "", gruende=kurz, gruende_lang=lang,
        fundstelle=_fundstelle(e), offen=offen, spanne=spanne, vorbehalte=vorbehalte,
        ausnahmen=[Ausnahme(a.titel, a.zitat.norm, a.greift, a.begruendung, a.zitat.wortlaut or "") for a in e.ausnahmen],
        foerderung=_foerderung(e, bericht.stichtag), aufgabentyp=AUFGABENTYPEN.get(r.aufgabentyp or "", ""),
        hinweis=oeffentlich(v.hinweis or r.hinweis), abweichung_studie=oeffentlich(r.abweichung_studie),
        szenario=bool(r.entwurf), bundesrecht=r.gegenstand == "bundesrecht")


def _ausnahme_text(bericht: Bericht, e: Ergebnis, ausnahme_id: str) -> tuple[str, str]:
    """(„Titel (Norm)“, „Titel“) der Ausnahme, unter deren Vorbehalt eine Regel steht."""
    for a in e.ausnahmen:
        if a.regel == ausnahme_id:
            return f"{a.titel} ({a.zitat.norm})", a.titel
    regeln = bericht.regelbasis.regeln
    titel = regeln[ausnahme_id].regel.titel if ausnahme_id in regeln else ausnahme_id
    return titel, titel


def _gruende(e: Ergebnis) -> tuple[list[str], list[str], bool]:
    """Die Begründung geteilt: Tatsachen (kurz), dazu Kommunaltyp der Regel und Fassung (ausführlich). Zeilen zur
    Spanne der Schätzung stehen einmal im Kopf; die Karte merkt sich nur, dass sie davon abhängt."""
    kurz, lang, spanne, typ = [], [], False, ""
    for b in e.begruendung:
        if b.startswith("offen:"):
            continue
        if b.startswith(("Spanne:", "maßgeblich ist")):
            spanne = True
            continue
        if b.startswith("gilt in der ganzen Spanne"):
            b = "gilt in der ganzen Spanne der Schätzung"
        if b.startswith("Kommunaltyp:"):
            typ = b.split(" (Regel gilt für")[0]
            lang.append(b)
            continue
        if not b.startswith("Fassung gültig ab"):  # die Fassung steht in der Fundstelle
            lang.append(b)
            kurz.append(b)
    if not kurz and typ and e.status != Status.unbestimmt:
        kurz.append(typ)
    return kurz, lang, spanne


def _fundstelle(e: Ergebnis) -> Fundstelle:
    z, v = e.version.zitat, e.version
    gesucht = ""
    if not z.norm_ermittelt and z.recherche:
        gesucht = f"Gesucht am {datum(z.recherche.am)}: {oeffentlich(z.recherche.gesucht)}"
    return Fundstelle(norm=z.norm, gesetz=z.gesetz, url=str(z.url), amtliche_fundstelle=z.amtliche_fundstelle or "",
                      wortlaut=z.wortlaut or "", inhalt=z.inhalt or "", inhalt_nach=oeffentlich(z.quelle_inhalt),
                      pruefstatus=pruefstatus_text(e, kurz=True).removeprefix("Prüfstatus: "),
                      pruefstatus_lang=PRUEFSTATUS_TEXT[z.pruefstatus], abgleich=abgleich_text(z),
                      gueltig_ab=v.gueltig_ab, gueltig_bis=v.gueltig_bis, stand=e.regel.stand, gesucht=gesucht)


def _foerderung(e: Ergebnis, stichtag: dt.date) -> Foerderung | None:
    f, a = e.regel.foerderung, e.foerderung
    if f is None or a is None:
        return None
    b = a.betrag
    hoehe = f"bis zu {zahl(b.hoechstbetrag)} € {b.bezug}" if b.hoechstbetrag is not None else "nicht pauschal bestimmbar"
    return Foerderung(programm=programm_am(f.programm, stichtag), foerdergeber=f.foerdergeber, hoehe=hoehe,
                      rechnung=b.rechnung, bewilligung=oeffentlich(f.bewilligungsbehoerde),
                      antragsfrist=f.antragsfrist or "", naechste_frist=a.naechste_frist,
                      zeitraum=f.foerderzeitraum or "", voraussetzungen=list(f.voraussetzungen),
                      haushaltsvorbehalt=f.haushaltsvorbehalt, laeuft_aus=a.laeuft_aus,
                      betrag=b.hoechstbetrag if e.status == Status.gilt else None, einmalig=b.einmalig)


def _abschnitte(bericht: Bericht, eintraege: dict[int, Eintrag]) -> list[Abschnitt]:
    gremium, pflichten, foerderung, hinweise, entfallen = [], [], [], [], []
    for e in bericht.ergebnisse:
        eintrag = eintraege[id(e)]
        if e.status == Status.entfaellt:
            entfallen.append(eintrag)
        elif e.regel.gegenstand == "integrationsgremium" and e.regel.art != Art.foerderung:
            gremium.append(eintrag)
        elif e.regel.art == Art.pflicht:
            pflichten.append(eintrag)
        elif e.regel.art == Art.foerderung:
            foerderung.append(eintrag)
        else:
            hinweise.append(eintrag)
    abschnitte = [a for a in (
        Abschnitt("gremium", "Integrationsgremium", gremium, True),
        Abschnitt("pflichtaufgaben", "Pflichtaufgaben", pflichten, False),
        Abschnitt("foerderung", "Förderprogramme des Landes", foerderung, True, "Haushaltsvorbehalt, kein Rechtsanspruch"),
        Abschnitt("hinweise", "Optionen und Hinweise", hinweise, False),
        Abschnitt("entfallen", "Entfällt – eine Ausnahme greift", entfallen, False),
    ) if a.eintraege]
    for a in abschnitte:
        for e in a.eintraege:
            e.abschnitt = a.schluessel
    return abschnitte


def _blick(abschnitte: list[Abschnitt]) -> list[Blickgruppe]:
    """Jede Pflicht, Option, Förderung und jeder landesrechtliche Hinweis, gruppiert nach Marke – vollständig und mit
    derselben Marke wie die Karte."""
    gruppen: dict[str, Blickgruppe] = {}
    for a in abschnitte:
        for e in a.eintraege:
            if e.bundesrecht:
                continue
            grund = e.marke.replace(" (SZENARIO)", "")
            gruppen.setdefault(e.marke, Blickgruppe(e.marke, BLICK.get(grund, grund), [])).punkte.append(e)
    reihenfolge = list(BLICK)
    return sorted(gruppen.values(), key=lambda g: (reihenfolge.index(g.marke.replace(" (SZENARIO)", ""))
                                                   if g.marke.replace(" (SZENARIO)", "") in BLICK else len(BLICK),
                                                   g.marke.endswith("(SZENARIO)")))


def _summe(eintraege: list[Eintrag]) -> str:
    berechnet = [e.foerderung for e in eintraege if e.foerderung and e.foerderung.betrag is not None]
    if len(berechnet) < 2:
        return ""
    jahr = sum(f.betrag for f in berechnet if not f.einmalig)
    einmalig = sum(f.betrag for f in berechnet if f.einmalig)
    teile = ([f"bis zu {zahl(jahr)} € je Jahr"] if jahr else []) + ([f"{zahl(einmalig)} € einmalig"] if einmalig else [])
    return f"zusammen {' und '.join(teile)} (Haushaltsvorbehalt, kein Rechtsanspruch)"


def _nicht_erfuellt(bericht: Bericht) -> list[NichtErfuellt]:
    beantwortet = {e.regel.gegenstand for e in bericht.ergebnisse if e.regel.art != Art.hinweis}
    ergebnis = []
    for n in bericht.nicht_erfuellt:
        foerderung = n.regel.art == Art.foerderung
        ergebnis.append(NichtErfuellt(n.regel.titel, n.regel.versionen[n.version_index].zitat.norm, foerderung,
                                      list(n.begruendung), list(n.abstand),
                                      bool(n.abstand) or foerderung or n.regel.gegenstand not in beantwortet))
    return ergebnis


def _fuss(bericht: Bericht) -> str:
    staende = sorted({e.regel.stand for e in bericht.ergebnisse})
    teile = [f"Regelbasis {bericht.regelbasis.fingerabdruck}, Auswerter: {bericht.auswerter}"]
    if staende:
        teile.append(f"Regeln geprüft {datum(staende[0])}" +
                     (f" bis {datum(staende[-1])}" if staende[-1] != staende[0] else ""))
    return "; ".join(teile) + "."


__all__ = ["baue", "programm_am", "erster_satz", "kurztitel", "AUFGABEN", "LIZENZ_KURZ", "BLICK"]
