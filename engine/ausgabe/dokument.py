"""Der Bericht als Dokument (Anlage zur Beschlussvorlage): eine Folge von Blöcken aus dem Berichtsmodell, die
Markdown und DOCX nur noch setzen – beide sagen dasselbe in derselben Reihenfolge.

Ein Dokument nennt keine Optionen der Kommandozeile und keine Formularfelder: was zu klären ist, steht als Satz da
(``Aktion.als_satz``). Jede Aussage steht einmal: die Spanne der Schätzung im Kopf, jede offene Frage in „Offene
Fragen“, jede Regel in „Auf einen Blick“ (Tabelle) und ihre Begründung mit Wortlaut in ihrem Abschnitt.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.ausgabe.modell import Berichtsmodell, Eintrag
from engine.ausgabe.text import blick_punkt, zahlen_text
from engine.ausgabe.ueberblick import datum


@dataclass
class Teil:
    text: str
    fett: bool = False
    kursiv: bool = False
    url: str = ""


@dataclass
class Block:
    art: str  # titel | ueberschrift | absatz | liste | tabelle | zitat | klein
    teile: list[Teil] = field(default_factory=list)
    ebene: int = 2
    punkte: list[list[Teil]] = field(default_factory=list)  # liste
    kopf: list[str] = field(default_factory=list)  # tabelle
    zeilen: list[list[list[Teil]]] = field(default_factory=list)
    breiten: list[float] = field(default_factory=list)  # Spaltenbreiten in cm (Summe = Satzspiegel A4)

    @property
    def text(self) -> str:
        return "".join(t.text for t in self.teile)


def _t(text: str, **art) -> list[Teil]:
    return [Teil(text, **art)]


def _absatz(*teile: Teil) -> Block:
    return Block("absatz", list(teile))


def _h(text: str, ebene: int = 2) -> Block:
    return Block("ueberschrift", _t(text), ebene=ebene)


def _liste(punkte: list[str | list[Teil]]) -> Block:
    return Block("liste", punkte=[p if isinstance(p, list) else _t(p) for p in punkte])


SATZSPIEGEL_CM = 16.0  # A4 mit 2,5 cm Rand links und rechts


def bloecke(m: Berichtsmodell, ausfuehrlich: bool = False) -> list[Block]:
    k = m.kopf
    b = [Block("titel", _t(f"Pflichten und Optionen: {k.name}"), ebene=1),
         _absatz(Teil(f"{k.beschreibung} · Rechtsstand {datum(m.stichtag)}"))]
    kopf: list[str | list[Teil]] = []
    if k.szenario:
        kopf.append([Teil(k.szenario, fett=True)])
    kopf.append([Teil("Zahlen: ", fett=True), Teil(zahlen_text(m))])
    if k.spanne_entscheidet:
        kopf.append("Wo die Spanne eine Schwelle überdeckt, entscheidet die Zahl des Melderegisters zum Stichtag der "
                    "Norm (siehe Offene Fragen).")
    if ausfuehrlich and k.schaetzung:
        kopf.append([Teil("Schätzung: ", fett=True), Teil(k.schaetzung)])
    if ausfuehrlich and k.typ_herleitung:
        kopf.append([Teil("Kommunaltyp: ", fett=True), Teil(k.typ_herleitung)])
    if k.quelle:
        kopf.append([Teil("Quelle der Zahlen: ", fett=True), Teil(k.quelle_lang if ausfuehrlich else k.quelle)])
    if k.bekannt:
        kopf.append([Teil("Bekannt: ", fett=True),
                     Teil("; ".join(f"{n}: {w}" + (f" ({q})" if q else "") for n, w, q in k.bekannt) + ".")])
    b.append(_liste(kopf))
    b += _blick(m)
    if m.fragen:
        b.append(_h("Offene Fragen"))
        b.append(_liste([[Teil(f"Frage {f.nummer}: ", fett=True), Teil(f"{f.text} – {f.aktion.als_satz()}.")]
                         for f in m.fragen]))  # was von der Antwort abhängt, steht an den Karten
    if m.demnaechst:
        b.append(_h(f"Demnächst (bis {datum(m.horizont)})"))
        b.append(_liste([[Teil(datum(d.datum), fett=True),
                          Teil(f" – {d.text}" + (f" (Fassung: {d.norm})" if d.norm and d.art == "rechtsaenderung"
                                                 else ""))] for d in m.demnaechst]))
    for a in m.abschnitte:
        b.append(_h(a.titel + (f" ({a.zusatz})" if a.zusatz else "")))
        for e in a.eintraege:
            b += _karte(e, ausfuehrlich)
    b += _rest(m, ausfuehrlich)
    return b


def _blick(m: Berichtsmodell) -> list[Block]:
    zeilen = []
    for g in m.blick:
        for e in g.punkte:
            zeilen.append([_t(g.marke, fett=True), _t(e.titel if e.art == "hinweis" else blick_punkt(e)),
                           [Teil(e.fundstelle.norm, url=e.fundstelle.url)]])
    b = [_h("Auf einen Blick")]
    if zeilen:
        b.append(Block("tabelle", kopf=["Status", "Regelung", "Rechtsgrundlage"], zeilen=zeilen,
                       breiten=[2.8, 6.4, 6.8]))  # Rechtsgrundlage breit: „Staatsangehörigkeitsangelegenheiten“
    if m.summe_foerderung:
        b.append(_absatz(Teil(f"Förderung {m.summe_foerderung}.")))
    if not any(e.art == "foerderung" for g in m.blick for e in g.punkte):
        b.append(_absatz(Teil("Förderung: kein Landesprogramm der Regelbasis für diese Kommune.")))
    return b


def _karte(e: Eintrag, ausfuehrlich: bool) -> list[Block]:
    f = e.fundstelle
    b = [_h(e.titel, 3), _absatz(Teil(e.marke, fett=True),
                                  *([Teil(f" – {e.verbindlichkeit_text}")] if e.verbindlichkeit_text else []))]
    if e.entfaellt_wegen:
        a = e.entfaellt_wegen
        b.append(_absatz(Teil("Entfällt: ", fett=True), Teil(f"die Ausnahme „{a.titel}“ ({a.norm}) greift – "
                                                            + "; ".join(a.gruende) + ".")))
        b.append(_absatz(Teil("Ohne die Ausnahme gälte: ", kursiv=True), Teil(e.rechtsfolge)))
    elif e.art != "hinweis" or ausfuehrlich:
        b.append(_absatz(Teil(e.rechtsfolge if ausfuehrlich or not e.kernsatz else e.kernsatz)))
    punkte: list[str | list[Teil]] = []
    if e.foerderung is not None:
        g = e.foerderung
        punkte.append(f"Programm: {g.programm} ({g.foerdergeber})" + (f"; Bewilligung: {g.bewilligung}"
                                                                       if g.bewilligung and ausfuehrlich else ""))
        punkte.append(f"Höhe: {g.hoehe}" + (f" – {g.rechnung}" if g.rechnung and ausfuehrlich else ""))
        if g.antragsfrist:
            punkte.append(f"Antragsfrist: {g.antragsfrist}" + (f", nächste Frist {datum(g.naechste_frist)}"
                                                               if g.naechste_frist else ""))
        if ausfuehrlich:
            punkte += [f"Förderzeitraum: {g.zeitraum}"] if g.zeitraum else []
            punkte += [f"Voraussetzung: {v}" for v in g.voraussetzungen]
        if g.haushaltsvorbehalt:
            punkte.append("Grundsätzlich förderfähig – nach Maßgabe des Haushalts, kein Rechtsanspruch.")
    for nummer in dict.fromkeys(a.frage for a in e.offen):  # je Frage ein Punkt, auch bei zwei Schwellen
        ausgaenge = [f"wenn {a.bedingung}: {a.wenn_ja}, sonst {a.wenn_nein}" for a in e.offen if a.frage == nummer]
        punkte.append([Teil("Offen: ", fett=True), Teil(f"Frage {nummer} – " + "; ".join(ausgaenge))])
    gruende = e.gruende_lang if ausfuehrlich else e.gruende
    if gruende:
        punkte.append([Teil("Warum: " if not e.offen else "Außerdem: ", fett=True), Teil("; ".join(gruende))])
    for v in e.vorbehalte:
        punkte.append([Teil("Vorbehalt: ", fett=True), Teil((v.ausfuehrlich if ausfuehrlich else v.text)
                                                             + (f" (Frage {v.frage})" if v.frage else ""))])
    unter_vorbehalt = {v.ausnahme for v in e.vorbehalte}
    for a in e.ausnahmen:
        if ausfuehrlich and not a.greift and a.titel not in unter_vorbehalt:  # die greifende steht oben
            punkte.append(f"Ausnahme {a.norm} ({a.titel}): greift nicht – " + "; ".join(a.gruende))
    if ausfuehrlich and e.aufgabentyp:
        punkte.append(f"Aufgabentyp: {e.aufgabentyp}")
    if punkte:
        b.append(_liste(punkte))
    b.append(_absatz(Teil("Rechtsgrundlage: ", fett=True), Teil(f.norm, url=f.url),
                     Teil(f", {f.gesetz}" + (f", {f.amtliche_fundstelle}" if f.amtliche_fundstelle else ""))))
    if f.wortlaut:
        b.append(Block("zitat", _t(f"„{f.wortlaut}“")))
    if f.inhalt:
        b.append(_absatz(Teil(f"Sinngemäß{f' (nach {f.inhalt_nach})' if f.inhalt_nach else ''}: ", kursiv=True),
                         Teil(f.inhalt)))
    bis = f" bis {datum(f.gueltig_bis)}" if f.gueltig_bis else ""
    b.append(Block("klein", _t(f"Fassung seit {datum(f.gueltig_ab)}{bis}. Prüfstatus: {f.pruefstatus_lang}."
                               + (f" {f.abgleich}." if f.abgleich else "")
                               + (f" {f.gesucht}." if f.gesucht else "")
                               + f" Rechtsstand geprüft am {datum(f.stand)}.")))
    if ausfuehrlich and e.hinweis:
        b.append(_absatz(Teil("Hinweis: ", kursiv=True), Teil(e.hinweis)))
    if ausfuehrlich and e.abweichung_studie:
        b.append(_absatz(Teil("Abweichung der Studie: ", kursiv=True), Teil(e.abweichung_studie)))
    return b


def _rest(m: Berichtsmodell, ausfuehrlich: bool) -> list[Block]:
    b: list[Block] = []
    nicht = [n for n in m.nicht_erfuellt if ausfuehrlich or n.im_kurzbericht]
    if nicht:
        b += [_h("Voraussetzungen nicht erfüllt"),
              _liste([f"{'Nicht förderfähig: ' if n.foerderung else ''}{n.titel} ({n.norm}): "
                      + "; ".join(n.gruende + n.abstand) for n in nicht])]
    if m.beendet:
        b += [_h("Beendete Förderphasen"), _liste(list(m.beendet))]
    if m.luecken:
        b += [_h("Nicht abgedeckt"),
              _absatz(Teil(f"Zu {', '.join(m.luecken)} enthält die Regelbasis für diese Kommune keine Regel – dazu "
                           "sagt dieser Bericht nichts."))]
    b.append(Block("klein", _t(m.fuss + (f" Daten: {m.daten}." if m.daten else "")
                               + " Keine Rechtsberatung; maßgeblich ist der amtliche Normtext.")))
    return b


__all__ = ["Block", "Teil", "bloecke", "SATZSPIEGEL_CM"]
