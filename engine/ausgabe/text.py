"""Der Bericht als deutscher Text fürs Terminal, gezeichnet aus dem Berichtsmodell: die Antwort zuerst („Auf einen
Blick“, eine Zeile je Marke), dann kurze Karten.

Der Standardbericht bleibt kurz (jede Aussage einmal: die Spanne der Schätzung im Kopf, jede offene Frage einmal mit
ihrer Option, die Karten verweisen auf „Frage n“). ``ausfuehrlich`` zeigt zu jeder Karte den Wortlaut, die geprüften
Ausnahmen, Rechtsfolge, Aufgabentyp, Hinweise und Abweichungen der Studie.
"""

from __future__ import annotations

from engine.ausgabe.aufbau import baue
from engine.ausgabe.modell import Berichtsmodell, Blickgruppe, Eintrag, Fundstelle
from engine.ausgabe.ueberblick import datum
from engine.ausgabe.umbruch import umbrechen
from engine.auswertung.bericht import Bericht
from engine.zahlen import sichtbar, zahl

BREITE = 100
SPALTE = 13  # Breite der Marke vor einer Zeile von „Auf einen Blick“


def _u(text: str, einzug: str = "", folge: str | None = None) -> list[str]:
    return umbrechen(text, BREITE, einzug, folge)


def zitat_text(f: Fundstelle) -> str:
    """Wörtlicher Normtext in Anführungszeichen; eine Inhaltsangabe ohne, ausdrücklich als „sinngemäß“ gekennzeichnet."""
    teile = [f"„{f.wortlaut}“"] if f.wortlaut else []
    if f.inhalt:
        nach = f" (nach {f.inhalt_nach})" if f.inhalt_nach else ""
        teile.append(f"Sinngemäß{nach}: {f.inhalt}")
    return " – ".join(teile)


def zahlen_text(m: Berichtsmodell) -> str:
    """„16.343 Einwohner (Spanne 16.103 bis 17.123), davon 2.135 ausländische Einwohner (≈ 13,06 %; Spanne …)“."""
    teile = []
    for z in m.kopf.zahlen:
        klammer = [z.anteil] if z.anteil else []
        if z.spanne:
            klammer.append(f"Spanne {zahl(z.von)} bis {zahl(z.bis)}")
        wort = "Einwohner" if z.bezeichnung == "Einwohner" else "ausländische Einwohner"
        teile.append(f"{zahl(z.wert)} {wort}" + (f" ({'; '.join(klammer)})" if klammer else ""))
    return ", davon ".join(teile) + (" – geschätzt" if m.kopf.geschaetzt else "")


def _zahl_frage(m: Berichtsmodell) -> str:
    nummern = [f.nummer for f in m.fragen if f.aktion.art == "zahl"]
    return f" (Frage {', '.join(map(str, nummern))})" if nummern else ""


def kopf_zeilen(m: Berichtsmodell, ausfuehrlich: bool = False) -> list[str]:
    k = m.kopf
    zeilen = _u(f"{k.name} – {k.beschreibung}", "", "  ")
    if k.szenario:
        zeilen += _u(k.szenario, "", "  ")
    spanne = (f"; wo die Spanne eine Schwelle überdeckt, entscheidet die Zahl des Melderegisters zum Stichtag der "
              f"Norm{_zahl_frage(m)}"
              if k.spanne_entscheidet else "")
    zeilen += _u(f"Rechtsstand {datum(m.stichtag)}; {zahlen_text(m)}{spanne}", "", "  ")
    if ausfuehrlich and k.schaetzung:
        zeilen += _u(f"Schätzung: {k.schaetzung}", "  ", "  ")
    if ausfuehrlich and k.typ_herleitung:
        zeilen += _u(f"Kommunaltyp: {k.typ_herleitung}", "", "  ")
    if k.quelle and ausfuehrlich:  # kurz: im Fuß, zusammen mit der Lizenz
        zeilen += _u(f"Quelle der Zahlen: {k.quelle_lang}", "", "  ")
    if k.bekannt:
        zeilen += _u("Bekannt: " + "; ".join(f"{n}: {w}" + (f" ({q})" if ausfuehrlich and q else "")
                                             for n, w, q in k.bekannt) + ".", "", "  ")
    if ausfuehrlich and k.unbekannt:
        zeilen += _u("Unbekannt und für das Ergebnis erheblich: " + ", ".join(k.unbekannt) + ".", "", "  ")
    return zeilen


def hat_karte(e: Eintrag) -> bool:
    """Im kurzen Bericht eine Karte: Pflichten zu Gremien, laufende Förderung und jede Zuständigkeit ohne ermittelte
    Norm. Alles andere steht einmal, mit Norm, in „Auf einen Blick“ (Hinweise unter „Optionen und Hinweise“)."""
    if any(v.art == "norm" for v in e.vorbehalte):
        return True
    return (e.abschnitt == "gremium" and e.art == "pflicht") or (e.abschnitt == "foerderung" and not e.offen)


def blick_punkt(e: Eintrag, mit_norm: bool = False) -> str:
    """Ein Eintrag in „Auf einen Blick“: Name (mit Norm, wenn er keine Karte hat), Betrag, Verweis auf die Fragen,
    von denen er abhängt."""
    text = e.name
    if mit_norm:
        schwach = f"; {e.fundstelle.pruefstatus}" if e.art != "hinweis" and not e.fundstelle.abgeglichen else ""
        text += f" ({e.fundstelle.norm}{schwach})"
    if e.foerderung is not None:
        h = e.foerderung.hoehe
        text += f": {h}" if h.startswith("bis zu") else f": Höhe {h}"
        if e.foerderung.laeuft_aus:
            text += f" (Förderphase endet am {datum(e.foerderung.laeuft_aus)})"
    fragen = sorted({a.frage for a in e.offen} | {v.frage for v in e.vorbehalte if v.frage})
    if e.offen:
        text += f" – Frage {', '.join(map(str, fragen))}"
    elif fragen:
        text += f" (Vorbehalt – Frage {', '.join(map(str, fragen))})"
    if e.entfaellt_wegen:
        text += f" (Ausnahme: {e.entfaellt_wegen.titel})"
    return text


def _blickzeilen(g: Blickgruppe, ausfuehrlich: bool) -> list[str]:
    if g.marke == "HINWEIS":  # Hinweise sind lang; hier nur, wozu sie etwas sagen
        text = "zu " + ", ".join(dict.fromkeys(e.name.split(" (")[0] for e in g.punkte)) + " (siehe unten)"
    else:
        text = "; ".join(blick_punkt(e, mit_norm=not ausfuehrlich and not hat_karte(e)) for e in g.punkte)
    return _u(f"{g.marke:<{SPALTE - 1}} {text}", "", " " * SPALTE)


def ueberblick_zeilen(m: Berichtsmodell, ausfuehrlich: bool = False) -> list[str]:
    """„Auf einen Blick“: vollständig (jede Pflicht, Option, Förderung, jeder Hinweis des Landes), eine Zeile je
    Marke, dann jede offene Frage einmal mit der Option, die sie beantwortet."""
    zeilen = [f"AUF EINEN BLICK (Rechtsstand {datum(m.stichtag)})"]
    if not any(g.punkte for g in m.blick):
        zeilen.append("–            Die Regelbasis enthält für diese Kommune keine Pflicht, Option oder Förderung.")
    hinweise = [e for g in m.blick for e in g.punkte if e.art == "hinweis"]
    for g in m.blick:
        g = Blickgruppe(g.marke, g.bezeichnung, [e for e in g.punkte if e.art != "hinweis"])
        if g.marke == "HINWEIS":
            g.punkte = hinweise
        if g.punkte:
            zeilen += _blickzeilen(g, ausfuehrlich)
        if g.marke == "FÖRDERFÄHIG" and m.summe_foerderung:
            zeilen += _u(m.summe_foerderung, " " * SPALTE, " " * SPALTE)
    if not any(e.art == "foerderung" for g in m.blick for e in g.punkte):
        zeilen += _u(f"{'FÖRDERUNG':<{SPALTE - 1}} kein Landesprogramm der Regelbasis für diese Kommune", "",
                     " " * SPALTE)
    for f in m.fragen:
        zeilen += _u(f"{f'FRAGE {f.nummer}':<{SPALTE - 1}} {f.text} → {f.aktion.als_option()}", "", " " * SPALTE)
        if ausfuehrlich:
            for folge in f.folgen:
                zeilen += _u(f"· {folge}", " " * SPALTE, " " * (SPALTE + 2))
    return zeilen


def demnaechst_zeilen(m: Berichtsmodell, ausfuehrlich: bool = False) -> list[str]:
    """„Demnächst“: beschlossene Änderungen, Fristen und Programmenden in den zwölf Monaten nach dem Stichtag; die
    neue Fassung nennt der ausführliche Bericht."""
    if not m.demnaechst:
        return []
    zeilen = ["", f"DEMNÄCHST (bis {datum(m.horizont)})"]
    for d in m.demnaechst:
        norm = f" – Fassung: {d.norm}" if ausfuehrlich and d.norm and d.art == "rechtsaenderung" else ""
        zeilen += _u(f"{datum(d.datum)}  {d.text}{norm}", "  ", " " * 14)
    return zeilen


def _rechtsgrundlage(e: Eintrag, ausfuehrlich: bool) -> list[str]:
    f = e.fundstelle
    bis = f" bis {datum(f.gueltig_bis)}" if f.gueltig_bis else ""
    if ausfuehrlich:
        zeilen = _u(f"Rechtsgrundlage: {f.mit_fundstelle}, Fassung seit {datum(f.gueltig_ab)}{bis}; Prüfstatus: "
                    f"{f.pruefstatus_lang}; Rechtsstand geprüft am {datum(f.stand)}", "  ", "    ")
    else:
        zeilen = _u(f"Rechtsgrundlage: {f.kurz}, seit {datum(f.gueltig_ab)}{bis} ({f.pruefstatus})", "  ", "    ")
    if ausfuehrlich:
        zeilen += _u(f.gesetz, "    ", "    ")
        zeilen += _u(zitat_text(f), "    ", "     ") if zitat_text(f) else []
        zeilen += _u(f.abgleich, "    ", "      ") if f.abgleich else []
        zeilen.append(f"    {f.url}")
    return zeilen


def _karte(e: Eintrag, ausfuehrlich: bool) -> list[str]:
    zeilen = _u(f"■ {e.marke} – {e.titel}", "", "  ")
    if ausfuehrlich and e.verbindlichkeit_text:
        zeilen += _u(f"Verbindlichkeit: {e.verbindlichkeit_text}", "  ", "    ")
    if e.entfaellt_wegen:
        a = e.entfaellt_wegen
        zeilen += _u(f"Entfällt: die Ausnahme „{a.titel}“ ({a.norm}) greift – " + "; ".join(a.gruende), "  ", "    ")
        if ausfuehrlich:
            zeilen += _u(f"„{a.wortlaut}“", "    ", "     ") if a.wortlaut else []
            zeilen += _u(f"Ohne die Ausnahme gälte: {e.rechtsfolge}", "  ", "    ")
    elif ausfuehrlich:
        zeilen += _u(f"Rechtsfolge: {e.rechtsfolge}", "  ", "    ")
        zeilen += [f"  Aufgabentyp: {e.aufgabentyp}"] if e.aufgabentyp else []
    elif e.kernsatz:
        zeilen += _u(e.kernsatz, "  ", "    ")
    zeilen += _foerder_zeilen(e, ausfuehrlich)
    zeilen += _offen_zeilen(e, ausfuehrlich)
    gruende = e.gruende_lang if ausfuehrlich else e.gruende
    if gruende:
        zeilen += _u(("Außerdem: " if e.offen else "Warum: ") + "; ".join(gruende), "  ", "    ")
    for v in e.vorbehalte if ausfuehrlich else [v for v in e.vorbehalte if not v.frage]:
        text = (v.ausfuehrlich if ausfuehrlich else v.text) + (f" – Frage {v.frage}" if v.frage else "")
        zeilen += _u(f"Vorbehalt: {text}", "  ", "    ")
    fragen = [v.frage for v in e.vorbehalte if v.frage]
    if fragen and not ausfuehrlich:  # kurz: was die Ausnahme ist, sagt die Frage; ihre Norm der ausführliche Bericht
        zeilen += _u(f"Vorbehalt: entfällt, wenn eine Ausnahme greift (Frage {', '.join(map(str, fragen))})", "  ",
                     "    ")
    if ausfuehrlich:
        unter_vorbehalt = {v.ausnahme for v in e.vorbehalte}
        for a in (a for a in e.ausnahmen if a.titel not in unter_vorbehalt and not a.greift):
            zeilen += _u(f"Ausnahme {a.norm} ({a.titel}): greift nicht – " + "; ".join(a.gruende), "  ", "    ")
    zeilen += _rechtsgrundlage(e, ausfuehrlich)
    if ausfuehrlich and e.hinweis:
        zeilen += _u(f"Hinweis: {e.hinweis}", "  ", "    ")
    if ausfuehrlich and e.abweichung_studie:
        zeilen += _u(f"Abweichung der Studie: {e.abweichung_studie}", "  ", "    ")
    return zeilen


def _offen_zeilen(e: Eintrag, ausfuehrlich: bool) -> list[str]:
    """Wovon ein offenes Ergebnis abhängt; kurz in einer Zeile, wenn jede Frage denselben anderen Ausgang hat."""
    if not e.offen:
        return []
    sonst = {a.wenn_nein for a in e.offen}
    if not ausfuehrlich and len(e.offen) > 1 and len(sonst) == 1:
        teile = [f"Frage {a.frage} (wenn {a.bedingung}: {a.wenn_ja})" for a in e.offen]
        return _u(f"Offen: {', '.join(teile)}; sonst jeweils: {sonst.pop()}", "  ", "    ")
    zeilen = []
    for nummer in dict.fromkeys(a.frage for a in e.offen):  # je Frage eine Zeile, auch bei zwei Schwellen
        ausgaenge = [f"wenn {a.bedingung}: {a.wenn_ja}, sonst {a.wenn_nein}" for a in e.offen if a.frage == nummer]
        zeilen += _u(f"Offen: Frage {nummer} – " + "; ".join(ausgaenge), "  ", "    ")
    return zeilen


def _foerder_zeilen(e: Eintrag, ausfuehrlich: bool) -> list[str]:
    f = e.foerderung
    if f is None or not ausfuehrlich:
        return []
    z = _u(f"Programm: {f.programm} – {f.foerdergeber}" + (f"; Bewilligung: {f.bewilligung}" if f.bewilligung else ""),
           "  ", "    ")
    z += _u(f"Höhe: {f.hoehe}" + (f" ({f.rechnung})" if f.rechnung else ""), "  ", "    ")
    if f.antragsfrist:
        naechste = f" – nächste Frist: {datum(f.naechste_frist)}" if f.naechste_frist else ""
        z += _u(f"Antragsfrist: {f.antragsfrist}{naechste}", "  ", "    ")
    z += _u(f"Förderzeitraum: {f.zeitraum}", "  ", "    ") if f.zeitraum else []
    for v in f.voraussetzungen:
        z += _u(f"Voraussetzung: {v}", "  ", "    ")
    if f.haushaltsvorbehalt:
        z.append("  Grundsätzlich förderfähig – nach Maßgabe des Haushalts, kein Rechtsanspruch.")
    return z


def _kurzzeile(e: Eintrag) -> list[str]:
    """Ein Ergebnis in einer (umbrochenen) Zeile: Marke, Name, Norm, Prüfstatus; Link in der Folgezeile."""
    f = e.fundstelle
    text = f"{e.marke:<8} {e.name if e.art != 'hinweis' else e.titel} – {f.norm}"
    for v in e.vorbehalte:
        text += f" (Vorbehalt: {v.text}" + (f" – Frage {v.frage})" if v.frage else ")")
    if e.entfaellt_wegen:
        a = e.entfaellt_wegen
        text += f"; entfällt wegen: {a.titel} ({a.norm})"
    if e.offen:
        text += f" – offen: Frage {', '.join(str(n) for n in sorted({a.frage for a in e.offen}))}"
    if e.art != "hinweis" and not f.abgeglichen:
        text += f" (Prüfstatus: {f.pruefstatus})"
    return _u(text, "", " " * 9)


def text_aus_modell(m: Berichtsmodell, ausfuehrlich: bool = False) -> str:
    zeilen = kopf_zeilen(m, ausfuehrlich) + [""] + ueberblick_zeilen(m, ausfuehrlich) + demnaechst_zeilen(m, ausfuehrlich)
    for a in m.abschnitte:
        bund = [e for e in a.eintraege if e.bundesrecht] if not ausfuehrlich else []
        eintraege = [e for e in a.eintraege if e not in bund]
        if not ausfuehrlich and a.schluessel not in ("hinweise", "entfallen"):  # der Rest steht im Überblick
            eintraege = [e for e in eintraege if hat_karte(e) or e.art == "hinweis"]
        if not eintraege and not bund:
            continue
        zeilen += ["", a.titel.upper() + (f" ({a.zusatz})" if a.zusatz else "")]
        for e in eintraege:
            zeilen += ([""] if ausfuehrlich else []) + (_karte(e, ausfuehrlich) if ausfuehrlich or hat_karte(e)
                                                        else _kurzzeile(e))
        if bund:
            zeilen += _u("Bundesrecht: " + "; ".join(e.fundstelle.norm for e in bund), "", " " * 9)
    return sichtbar("\n".join(zeilen + _rest(m, ausfuehrlich)) + "\n")


def text_bericht(bericht: Bericht, ausfuehrlich: bool = False) -> str:
    return text_aus_modell(baue(bericht), ausfuehrlich)


def _rest(m: Berichtsmodell, ausfuehrlich: bool) -> list[str]:
    zeilen: list[str] = []
    nicht = [n for n in m.nicht_erfuellt if ausfuehrlich or n.im_kurzbericht]
    if nicht:
        zeilen += ["", "NICHT ERFÜLLT (PFLICHTEN UND FÖRDERPROGRAMME DES LANDES)"]
        for n in nicht:
            text = f"– {'nicht förderfähig: ' if n.foerderung else ''}{n.titel} ({n.norm})"
            if ausfuehrlich or n.abstand or n.foerderung:
                text += ": " + "; ".join(n.gruende)
            zeilen += _u(text, "  ", "    ")
            for a in n.abstand:
                zeilen += _u(f"→ {a}", "    ", "      ")
    if m.beendet:
        zeilen += [""] + [z for b in m.beendet for z in _u(b, "", "  ")]
    if m.luecken:
        zeilen += [""] + _u(f"NICHT ABGEDECKT: Zu {', '.join(m.luecken)} enthält die Regelbasis für diese Kommune keine "
                            "Regel – dazu sagt dieser Bericht nichts.", "", "  ")
    daten = m.daten if ausfuehrlich else m.daten_kurz
    zeilen += [""] + _u(m.fuss + (f" Daten: {daten}." if daten else "") + " Keine Rechtsberatung."
                        + ("" if ausfuehrlich else " Links, Wortlaut und Ausnahmen: --ausfuehrlich."))
    return zeilen


__all__ = ["text_bericht", "text_aus_modell", "kopf_zeilen", "ueberblick_zeilen", "zitat_text", "zahlen_text",
           "blick_punkt", "hat_karte"]
