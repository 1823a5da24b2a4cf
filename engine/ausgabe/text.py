"""Der Bericht als deutscher Text fürs Terminal: die Antwort zuerst („Auf einen Blick“), dann kurze Karten je Ergebnis.

``ausfuehrlich`` zeigt zu jeder Karte den Wortlaut, die geprüften Ausnahmen, Rechtsfolge, Aufgabentyp, Hinweise und
Abweichungen der Studie; der Standardbericht bleibt kurz und nennt Norm, Link und Prüfstatus.
"""

from __future__ import annotations

import datetime as dt

import re
import textwrap

from engine.ausgabe.json_vertrag import beendet_text
from engine.ausgabe.ueberblick import VERB_ERKLAERUNG, abgleich_text, betrag_text, datum, fundstelle_text, gegenstand_text, \
    marke, norm_vorbehalt_text, pruefstatus_text, \
    ueberblick_zeilen
from engine.auswertung.bericht import Bericht, Ergebnis
from engine.begriffe import AUFGABENTYPEN, KOMMUNALTYPEN, LAENDER, Art, Status
from engine.felder import FELDER, anteil
from engine.kommunen.profil import merkmal_text
from engine.zahlen import prozent, zahl, sichtbar

BREITE = 100


def zitat_text(z) -> str:
    """Wörtlicher Normtext in Anführungszeichen; eine Inhaltsangabe ohne, ausdrücklich als „sinngemäß“ gekennzeichnet."""
    teile = []
    if z.wortlaut:
        teile.append(f"„{z.wortlaut}“")
    if z.inhalt:
        nach = f" (nach {z.quelle_inhalt})" if z.quelle_inhalt else ""
        teile.append(f"Sinngemäß{nach}: {z.inhalt}")
    return " – ".join(teile)


def _umbruch(text: str, einzug: str, folge: str | None = None) -> list[str]:
    return textwrap.wrap(text, BREITE, initial_indent=einzug, subsequent_indent=folge or einzug,
                         break_on_hyphens=False) or [einzug.rstrip()]


def kopf_zeilen(bericht: Bericht, ausfuehrlich: bool = False) -> list[str]:
    """Wer, mit welchen Zahlen (und wie sicher) und was über die Kommune bekannt ist."""
    k = bericht.kommune
    ags = f" (AGS {k.ags})" if k.ags else ""
    kreis = f", {k.kreis}" if k.kreis else ""
    zeilen = [f"{k.name} – {KOMMUNALTYPEN[k.typ].bezeichnung}{kreis}, {LAENDER[k.land].name}{ags}"]
    entwuerfe = [e for e in bericht.ergebnisse if e.regel.entwurf]
    if any(g.regel.entwurf for g in bericht.regelbasis.regeln.values()):
        zeilen += _umbruch(f"SZENARIO – KEIN GELTENDES RECHT: Die Regelbasis enthält Entwürfe; {len(entwuerfe)} "
                           "Ergebnis(se) mit „(SZENARIO)“ beruhen darauf.", "", "  ")
    zahlen = (f"{zahl(k.einwohner)} Einwohner, davon {zahl(k.auslaendische_einwohner)} ausländische Einwohner "
              f"({prozent(anteil(k.auslaendische_einwohner, k.einwohner))})")
    if k.unsicherheit is not None:
        von, bis = k.spanne("auslaendische_einwohner")
        e_von, e_bis = k.spanne("einwohner")
        spanne = f"ausländische Einwohner {zahl(von)} bis {zahl(bis)}" if von != bis else ""
        if e_von != e_bis:
            spanne += ("; " if spanne else "") + f"Einwohner {zahl(e_von)} bis {zahl(e_bis)}"
        zahlen += f" – geschätzt, Spanne: {spanne}" if spanne else ""
    zeilen += _umbruch(zahlen, "", "  ")
    if k.unsicherheit is not None and ausfuehrlich:
        zeilen += _umbruch(f"Schätzung: {k.unsicherheit.grund}", "  ", "  ")
    if ausfuehrlich and k.typ_herleitung:
        zeilen += _umbruch(f"Kommunaltyp: {k.typ_herleitung}", "", "  ")
    if k.quelle:
        quelle = k.quelle if ausfuehrlich else k.quelle.split(" Datenlizenz")[0].rstrip(". ")
        zeilen += _umbruch(f"Quelle der Zahlen: {quelle}", "", "  ")
    bekannt = [n for n in sorted(k.merkmale) if k.merkmale[n] is not None]
    teile = []
    for n in bekannt:
        quelle = f" ({k.merkmal_quellen[n]})" if ausfuehrlich and n in k.merkmal_quellen else ""
        teile.append(f"{FELDER[n].bezeichnung}: {merkmal_text(k.merkmale[n])}{quelle}")
    text = ("Bekannt: " + "; ".join(teile) + ". ") if teile else ""
    offen = sorted({f.merkmal for e in bericht.ergebnisse for f in e.offen if f.merkmal in bericht.unbekannte_merkmale}
                   | {v.merkmal for e in bericht.ergebnisse for v in e.vorbehalte})
    if offen:
        text += "Unbekannt und für das Ergebnis erheblich: " + ", ".join(FELDER[n].bezeichnung for n in offen) + "."
    if text:
        zeilen += _umbruch(text, "", "  ")
    return zeilen


def _gruende(e: Ergebnis, ausfuehrlich: bool) -> list[str]:
    """Begründung; kurz ohne die Zeile zur Fassung und ohne die Typenliste der Regel."""
    if ausfuehrlich:
        return e.begruendung
    ergebnis = []
    for b in e.begruendung:
        if b.startswith("Fassung gültig ab"):
            continue
        if b.startswith("Kommunaltyp:") and " (Regel gilt für" in b:
            b = b.split(" (Regel gilt für")[0]
        if b.startswith("gilt in der ganzen Spanne ("):
            b = "gilt in der ganzen Spanne der Schätzung"
        ergebnis.append(b)
    return ergebnis


_ABKUERZUNGEN = ("bzw", "z. B", "u. a", "Abs", "Nr", "vgl", "ggf", "i. V. m", "S", "ca", "d. h", "u", "a", "m", "Art",
                 "Satz", "f", "ff", "Buchst", "etc", "evtl", "gem", "insb", "lt", "o", "s", "v", "z")


def _erster_satz(text: str, hoechstens: int = 220) -> str:
    """Der erste Satz (Abkürzungen wie „bzw.“ oder „Abs.“ beenden keinen Satz); leer, wenn er zu lang ist."""
    for treffer in re.finditer(r"\. (?=[A-ZÄÖÜ„])", text):
        davor = text[: treffer.start()]
        if not any(davor.endswith(" " + a) or davor == a for a in _ABKUERZUNGEN) and not davor[-1:].isdigit():
            satz = davor + "."
            return satz if len(satz) <= hoechstens else ""
    return text if len(text) <= hoechstens else ""


def _karte(e: Ergebnis, ausfuehrlich: bool) -> list[str]:
    r, v, z = e.regel, e.version, e.version.zitat
    zeilen = _umbruch(f"■ {marke(e)} – {r.titel}", "", "  ")
    if ausfuehrlich and r.verbindlichkeit is not None:
        zeilen += _umbruch(f"Verbindlichkeit: {VERB_ERKLAERUNG[r.verbindlichkeit]}", "  ", "    ")
    if ausfuehrlich:
        zeilen += _umbruch(f"Rechtsfolge: {e.rechtsfolge}", "  ", "    ")
    elif r.art != Art.hinweis and _erster_satz(e.rechtsfolge):
        zeilen += _umbruch(_erster_satz(e.rechtsfolge), "  ", "    ")
    if ausfuehrlich and r.aufgabentyp:
        zeilen.append(f"  Aufgabentyp: {AUFGABENTYPEN[r.aufgabentyp]}")
    zeilen += _foerder_zeilen(e, ausfuehrlich)
    if e.status == Status.unbestimmt:
        zeilen.append("  Offen – das Ergebnis hängt ab von:")
        for f in e.offen:
            zeilen += _umbruch(f"? {f.text()} → {f.option}", "    ", "      ")
        for b in _gruende(e, ausfuehrlich):
            if not b.startswith("offen:"):
                zeilen += _umbruch(f"· {b}", "    ", "      ")
    else:
        zeilen += _umbruch("Warum: " + "; ".join(_gruende(e, ausfuehrlich)), "  ", "    ")
    if e.norm_vorbehalt:
        zeilen += _umbruch(norm_vorbehalt_text(e) if ausfuehrlich else f"Vorbehalt: {e.norm_vorbehalt}", "  ", "    ")
    for vb in e.vorbehalte:
        text = _vorbehalt(e, vb) if ausfuehrlich else f"Vorbehalt – entfällt bei der Ausnahme: {_ausnahme_kurz(e, vb)}"
        zeilen += _umbruch(f"{text} → {vb.option}", "  ", "    ")
    if ausfuehrlich:
        for a in e.ausnahmen:
            kopf = "GREIFT" if a.greift else "greift nicht"
            zeilen += _umbruch(f"Ausnahme {a.zitat.norm} ({a.titel}): {kopf} – " + "; ".join(a.begruendung), "  ", "    ")
            if a.greift:
                zeilen += _umbruch(zitat_text(a.zitat), "    ", "     ")
    elif any(a.greift for a in e.ausnahmen):
        a = next(a for a in e.ausnahmen if a.greift)
        zeilen += _umbruch(f"Entfällt wegen: {a.titel} ({a.zitat.norm}) – " + "; ".join(a.begruendung), "  ", "    ")
    bis = f" bis {datum(v.gueltig_bis)}" if v.gueltig_bis else ""
    zeilen += _umbruch(f"Rechtsgrundlage: {fundstelle_text(z)}, Fassung seit {datum(v.gueltig_ab)}{bis}; "
                       f"{pruefstatus_text(e, kurz=not ausfuehrlich)}; "
                       f"Rechtsstand geprüft am {datum(r.stand)}", "  ", "    ")
    if ausfuehrlich:
        zeilen += _umbruch(z.gesetz, "    ", "    ")
        zeilen += _umbruch(zitat_text(z), "    ", "     ")
        if abgleich_text(z):
            zeilen += _umbruch(abgleich_text(z), "    ", "      ")
        if z.pruefhinweis:
            zeilen += _umbruch(f"Noch zu prüfen: {z.pruefhinweis}", "    ", "      ")
    zeilen.append(f"    {z.url}")
    hinweis = v.hinweis or r.hinweis
    if ausfuehrlich and hinweis:
        zeilen += _umbruch(f"Hinweis: {hinweis}", "  ", "    ")
    if ausfuehrlich and r.abweichung_studie:
        zeilen += _umbruch(f"Abweichung der Studie: {r.abweichung_studie}", "  ", "    ")
    return zeilen


def _ausnahme_kurz(e: Ergebnis, vb) -> str:
    for a in e.ausnahmen:
        if a.regel == vb.ausnahme:
            return f"{a.titel} ({a.zitat.norm})"
    return vb.frage


def _vorbehalt(e: Ergebnis, vb) -> str:
    return f"Vorbehalt: gilt, sofern nicht die Ausnahme greift: {_ausnahme_kurz(e, vb)} – offen: {vb.frage}"


def _foerder_zeilen(e: Ergebnis, ausfuehrlich: bool) -> list[str]:
    f, a = e.regel.foerderung, e.foerderung
    if f is None or a is None:
        return []
    z = _umbruch(f"Programm: {f.programm} – {f.foerdergeber}" + (f"; Bewilligung: {f.bewilligungsbehoerde}"
                                                                   if f.bewilligungsbehoerde else ""), "  ", "    ") \
        if ausfuehrlich else []
    if not ausfuehrlich:
        frist = f" – nächste Antragsfrist: {datum(a.naechste_frist)}" if a.naechste_frist else ""
        z += _umbruch(f"Höhe: {betrag_text(e)}{frist}", "  ", "    ")
    else:
        z += _umbruch(f"Höhe: {betrag_text(e)} ({a.betrag.rechnung})" if a.betrag.hoechstbetrag is not None
                      else f"Höhe: {a.betrag.rechnung}", "  ", "    ")
        if f.antragsfrist:
            naechste = f" – nächste Frist: {datum(a.naechste_frist)}" if a.naechste_frist else ""
            z += _umbruch(f"Antragsfrist: {f.antragsfrist}{naechste}", "  ", "    ")
    if ausfuehrlich:
        if f.foerderzeitraum:
            z += _umbruch(f"Förderzeitraum: {f.foerderzeitraum}", "  ", "    ")
        for v in f.voraussetzungen:
            z += _umbruch(f"Voraussetzung: {v}", "  ", "    ")
    if f.haushaltsvorbehalt and ausfuehrlich:
        z.append("  Grundsätzlich förderfähig – nach Maßgabe des Haushalts, kein Rechtsanspruch.")
    if a.laeuft_aus:
        z.append(f"  ACHTUNG: Diese Förderphase endet am {datum(a.laeuft_aus)}.")
    return z


def _gruppen(bericht: Bericht) -> list[tuple[str, list[Ergebnis], bool]]:
    """Abschnitte des Berichts; das dritte Feld sagt, ob der Standardbericht ganze Karten zeigt oder eine Zeile."""
    gremium = [e for e in bericht.ergebnisse if e.regel.gegenstand == "integrationsgremium" and e.regel.art != Art.foerderung]
    pflichten = [e for e in bericht.ergebnisse if e.regel.art == Art.pflicht and e not in gremium]
    foerderung = [e for e in bericht.ergebnisse if e.regel.art == Art.foerderung]
    rest = [e for e in bericht.ergebnisse if e.regel.art == Art.hinweis and e not in gremium]
    return [("INTEGRATIONSGREMIUM", gremium, True), ("PFLICHTAUFGABEN", pflichten, False),
            ("FÖRDERPROGRAMME DES LANDES (Haushaltsvorbehalt, kein Rechtsanspruch)", foerderung, True), ("OPTIONEN UND HINWEISE", rest, False)]


def demnaechst_zeilen(bericht: Bericht) -> list[str]:
    """„Demnächst“: beschlossene Änderungen, Fristen und Programmenden in den zwölf Monaten nach dem Stichtag."""
    if not bericht.demnaechst:
        return []
    zeilen = ["", f"DEMNÄCHST (bis {datum(bericht.stichtag + dt.timedelta(days=365))})"]
    for d in bericht.demnaechst:
        norm = f" – Fassung: {d.norm}" if d.norm and d.art == "rechtsaenderung" else ""
        zeilen += _umbruch(f"{datum(d.datum)}  {d.text}{norm}", "  ", " " * 14)
    return zeilen


def text_bericht(bericht: Bericht, ausfuehrlich: bool = False) -> str:
    zeilen = kopf_zeilen(bericht, ausfuehrlich) + [""] + ueberblick_zeilen(bericht) + demnaechst_zeilen(bericht)
    for titel, ergebnisse, karten in _gruppen(bericht):
        bund = [e for e in ergebnisse if e.regel.gegenstand == "bundesrecht"] if not ausfuehrlich else []
        ergebnisse = [e for e in ergebnisse if e not in bund]
        if not ergebnisse and not bund:
            continue
        zeilen += ["", titel, "=" * len(titel)]
        for e in ergebnisse:
            karte = karten and e.regel.art != Art.hinweis and e.status != Status.entfaellt
            if ausfuehrlich or karte or e.status == Status.unbestimmt:
                zeilen += [""] * ausfuehrlich + _karte(e, ausfuehrlich)
            else:
                zeilen += _kurzzeile(e)
        if bund:
            zeilen += _umbruch("Bundesrecht (allgemein, --ausfuehrlich): " + "; ".join(e.version.zitat.norm for e in bund),
                               "", " " * 9)
    zeilen += _rest(bericht, ausfuehrlich)
    return sichtbar("\n".join(zeilen) + "\n")


def _kurzzeile(e: Ergebnis) -> list[str]:
    """Ein Ergebnis in einer (umbrochenen) Zeile: Marke, Titel, Norm, Prüfstatus; Link in der Folgezeile."""
    z = e.version.zitat
    name = gegenstand_text(e.regel.gegenstand) if e.regel.art == Art.pflicht and \
        e.regel.gegenstand in ("auslaenderbehoerde", "unterbringung", "asylblg", "einbuergerung", "jugendamt") \
        else e.regel.titel
    text = f"{marke(e):<8} {name} – {z.norm}"
    if e.norm_vorbehalt:
        text += " (Vorbehalt: Norm nicht ermittelt)"
    elif e.vorbehalte:
        text += " (Vorbehalt: " + "; ".join(_ausnahme_kurz(e, vb) for vb in e.vorbehalte) + ")"
    if e.regel.art != Art.hinweis and e.version.zitat.pruefstatus.value not in ("amtlich", "verifiziert"):
        text += f" ({pruefstatus_text(e, kurz=True)})"
    return _umbruch(text, "", " " * 9) + [" " * 9 + z.url] if e.regel.art != Art.hinweis else _umbruch(text, "", " " * 9)


def _rest(bericht: Bericht, ausfuehrlich: bool) -> list[str]:
    zeilen: list[str] = []
    beantwortet = {e.regel.gegenstand for e in bericht.ergebnisse if e.regel.art != Art.hinweis}
    nicht = [n for n in bericht.nicht_erfuellt if ausfuehrlich or n.abstand or n.regel.art == Art.foerderung
             or n.regel.gegenstand not in beantwortet]
    if nicht:
        titel = "NICHT ERFÜLLT (PFLICHTEN UND FÖRDERPROGRAMME DES LANDES)"
        zeilen += ["", titel, "=" * len(titel)]
        for n in nicht:
            norm = n.regel.versionen[n.version_index].zitat.norm
            vorsatz = "nicht förderfähig: " if n.regel.art == Art.foerderung else ""
            text = f"– {vorsatz}{n.regel.titel} ({norm})"
            if ausfuehrlich or n.abstand or n.regel.art == Art.foerderung:
                text += ": " + "; ".join(n.begruendung)
            zeilen += _umbruch(text, "  ", "    ")
            for a in n.abstand:
                zeilen += _umbruch(f"→ {a}", "    ", "      ")
    for p in bericht.beendete_programme:
        zeilen += [""] + _umbruch(f"Förderprogramm {p.regel.titel}: {beendet_text(p)}", "", "  ")
    if bericht.luecken:
        namen = ", ".join(gegenstand_text(g) for g in bericht.luecken)
        zeilen += [""] + _umbruch(f"NICHT ABGEDECKT: Zu {namen} enthält die Regelbasis für diese Kommune keine Regel – "
                                  "dazu sagt dieser Bericht nichts.", "", "  ")
    zeilen += [""] + _umbruch(fuss_text(bericht, ausfuehrlich) + ("" if ausfuehrlich else " Mehr: --ausfuehrlich."),
                              "", "")
    return zeilen


KURZQUELLE = "© Destatis 2025, Zensus 2022 (Datenlizenz Deutschland – Namensnennung 2.0)"


def fuss_text(bericht: Bericht, ausfuehrlich: bool = True) -> str:
    """Regelbasis, Auswerter, Rechtsstand der Regeln, Datenquelle – und dass es keine Rechtsberatung ist."""
    staende = sorted({e.regel.stand for e in bericht.ergebnisse})
    stand = (f"Regeln geprüft {datum(staende[0])}" +
             (f" bis {datum(staende[-1])}" if staende and staende[-1] != staende[0] else "")) if staende else ""
    teile = [f"Regelbasis {bericht.regelbasis.fingerabdruck}, Auswerter: {bericht.auswerter}"]
    if stand:
        teile.append(stand)
    text = "; ".join(teile) + "."
    if bericht.kommune.quelle and (ausfuehrlich or not bericht.kommune.ags or bericht.kommune.typ == "bezirk"):
        text += f" Daten: {bericht.kommune.quelle.rstrip('.')}."
    elif bericht.kommune.quelle:
        text += f" Daten: {KURZQUELLE}."
    return text + " Keine Rechtsberatung."


__all__ = ["text_bericht", "kopf_zeilen", "zitat_text", "fuss_text"]
