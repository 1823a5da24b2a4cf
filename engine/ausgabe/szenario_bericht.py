"""Der Wirkungsbericht eines Szenarios: Tabelle je Land (Terminal und Markdown), Größenklassen der Studie, Kosten als
Spanne, die offenen Fälle, eine CSV aller betroffenen Kommunen und ein Balkendiagramm je Land (PNG und SVG).

Jede Ausgabe sagt oben: Szenario – kein geltendes Recht. Kosten sind Modellrechnungen (Stellen nach dem Kostenmodell
des Szenarios × Kosten je Stelle mit Beleg), keine Haushaltszahlen.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from engine.auswertung.szenario import GROESSENKLASSEN, Betroffen, Landeswirkung, groessenklasse
from engine.ausgabe.markdown import md
from engine.ausgabe.ueberblick import datum
from engine.begriffe import KOMMUNALTYPEN, LAENDER
from engine.regeln.modell import Regel, stellenbruch
from engine.zahlen import sichtbar, zahl

HINWEIS = "Szenario – kein geltendes Recht"


def _euro(betrag: Fraction) -> str:
    return f"{zahl(round(betrag))} €"


def _mio(betrag: Fraction) -> str:
    return f"{float(betrag) / 1e6:,.1f}".replace(",", "X").replace(".", ",").replace("X", ".") + " Mio. €"


def _stellen(s: Fraction) -> str:
    text = f"{float(s):,.1f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return text[:-2] if text.endswith(",0") else text


def zeilen_je_land(wirkung: dict[str, Landeswirkung]) -> list[list[str]]:
    """Kopf + eine Zeile je Land + Summe: neu verpflichtet (davon Kreisebene), offen, Einwohner, Stellen, Kosten."""
    kopf = ["Land", "neu erfasst", "davon Kreisebene", "davon schon gefördert", "offen", "Einwohner im Gebiet",
            "ausländische Einwohner", "Stellen (von–bis)", "Kosten je Jahr (von–bis)"]
    zeilen = [kopf]
    gesamt = Landeswirkung("Summe")
    for land, w in wirkung.items():
        kreise = sum(1 for b in w.neu if b.ebene.startswith("Kreise"))
        zeilen.append([LAENDER[land].name, zahl(len(w.neu)), zahl(kreise), zahl(sum(b.gefoerdert for b in w.neu)),
                       zahl(len(w.offen)), zahl(w.einwohner),
                       zahl(w.auslaendische_einwohner),
                       f"{_stellen(w.summe('stellen_von'))}–{_stellen(w.summe('stellen_bis', True))}",
                       f"{_mio(w.summe('kosten_von'))}–{_mio(w.summe('kosten_bis', True))}"])
        gesamt.neu += w.neu
        gesamt.offen += w.offen
    kreise = sum(1 for b in gesamt.neu if b.ebene.startswith("Kreise"))
    zeilen.append(["Deutschland" if len(wirkung) == 16 else "zusammen", zahl(len(gesamt.neu)), zahl(kreise), zahl(sum(b.gefoerdert for b in gesamt.neu)),
                   zahl(len(gesamt.offen)), zahl(gesamt.einwohner),
                   zahl(gesamt.auslaendische_einwohner),
                   f"{_stellen(gesamt.summe('stellen_von'))}–{_stellen(gesamt.summe('stellen_bis', True))}",
                   f"{_mio(gesamt.summe('kosten_von'))}–{_mio(gesamt.summe('kosten_bis', True))}"])
    return zeilen


def zeilen_groessenklassen(wirkung: dict[str, Landeswirkung]) -> list[list[str]]:
    kopf = ["Größenklasse (Tabelle 4 der Studie)", "Ebene", "neu erfasst", "Einwohner der Kommunen",
            "Kosten je Jahr (von–bis)"]
    gruppen: dict[tuple[str, str], list[Betroffen]] = {}
    for w in wirkung.values():
        for b in w.neu:
            gruppen.setdefault((groessenklasse(b.kommune.einwohner), b.ebene), []).append(b)
    zeilen = [kopf]
    ordnung = {text: i for i, (_, text) in enumerate(GROESSENKLASSEN)}
    for (klasse, ebene), liste in sorted(gruppen.items(), key=lambda t: (ordnung[t[0][0]], t[0][1])):
        zeilen.append([klasse, ebene, zahl(len(liste)), zahl(sum(b.kommune.einwohner for b in liste)),
                       f"{_mio(sum((b.kosten_von for b in liste), Fraction(0)))}–"
                       f"{_mio(sum((b.kosten_bis for b in liste), Fraction(0)))}"])
    return zeilen


def als_text_tabelle(zeilen: list[list[str]]) -> list[str]:
    breiten = [max(len(z[i]) for z in zeilen) for i in range(len(zeilen[0]))]
    ausgabe = []
    for n, z in enumerate(zeilen):
        ausgabe.append("  ".join(w.ljust(b) if i == 0 else w.rjust(b) for i, (w, b) in enumerate(zip(z, breiten))))
        if n == 0:
            ausgabe.append("  ".join("-" * b for b in breiten))
    return ausgabe


def als_markdown_tabelle(zeilen: list[list[str]]) -> list[str]:
    kopf, *rest = zeilen
    return (["| " + " | ".join(md(k) for k in kopf) + " |", "|" + "|".join(["---"] + ["---:"] * (len(kopf) - 1)) + "|"]
            + ["| " + " | ".join(md(w) for w in z) + " |" for z in rest])


def _annahmen(regeln: list[Regel]) -> list[str]:
    zeilen = []
    for r in regeln:
        s = r.szenario
        verb = r.verbindlichkeit.value if r.verbindlichkeit else r.art.value
        typen = ", ".join(KOMMUNALTYPEN[t].bezeichnung for t in r.typen)
        zeilen.append(f"- **{md(r.titel)}** (`{r.id}`, {md(verb)}; für: {md(typen)}; ab {datum(r.versionen[-1].gueltig_ab)})")
        if s and s.kostenmodell:
            m = s.kostenmodell
            groesse = "Einwohner" if m.groesse == "einwohner" else "ausländische Einwohner"
            stufen = "; ".join(f"ab {zahl(st.ab)} {groesse}: {_stellen(stellenbruch(st.stellen))} Stelle(n)"
                               for st in m.stufen) if len(m.stufen) > 1 else \
                f"je Kommune {_stellen(stellenbruch(m.stufen[0].stellen))} Stellen"
            zeilen.append(f"  - Kostenmodell: {md(stufen)}; je Stelle {zahl(m.kosten_je_stelle_von)} bis "
                          f"{zahl(m.kosten_je_stelle_bis)} € im Jahr ({md(m.quelle_kosten)})")
    return zeilen


def markdown_bericht(name: str, regeln: list[Regel], wirkung: dict[str, Landeswirkung], stichtag: dt.date,
                     bild: str | None, csv_name: str | None, karte: str | None = None,
                     karte_quelle: str | None = None) -> str:
    """Der Bericht in Markdown; ``bild`` (Diagramm je Land) und ``karte`` (Karte je Kreis, mit ``karte_quelle``
    als Quellenvermerk der Kartengrundlage) sind Dateinamen neben dem Bericht."""
    quelle = next((r.szenario for r in regeln if r.szenario), None)
    zeilen = [f"# Szenario: {md(quelle.name if quelle else name)}", "", f"**{HINWEIS}.** Modellrechnung auf der "
              f"Regelbasis von kommunalpflichten, Stichtag {datum(stichtag)}, mit den mitgelieferten Zahlen "
              "(Schätzungen mit Spanne).", ""]
    if quelle:
        zeilen += [f"**Grundlage** ({md(quelle.fundstelle)}):", "", f"> „{md(quelle.passage)}“", ""]
    zeilen += ["## Annahmen", ""] + _annahmen(regeln)
    zeilen += ["", "## Neu erfasste Kommunen je Land", "",
               "„Neu erfasst“: das Szenario erfasst die Kommune, und keine geltende Regel desselben Gegenstands tut es "
               "schon (Pflicht: muss oder soll; Förderung: ein Programm). „Schon gefördert“: ein geltendes "
               "Landesprogramm fördert dort schon Stellen dieses Gegenstands – bei der Konnexität anrechenbar, die "
               "Mehrkosten sind dort kleiner. „Offen“: das Ergebnis hängt an einer Zahl nahe der Schwelle oder einer "
               "unbekannten Tatsache – diese Fälle zählen nur zur oberen Grenze.", ""]
    zeilen += als_markdown_tabelle(zeilen_je_land(wirkung))
    if bild:
        zeilen += ["", f"![Neu erfasste Kommunen und Kosten je Land]({bild})"]
    if karte:
        zeilen += ["", "## Karte: wo das Szenario neu erfasst und was es je Kreis kostet", "",
                   "Links der Anteil der Gemeinden je Kreis, die das Szenario neu erfasst (bei einem Szenario nur für "
                   "Kreise und kreisfreie Städte: der Kreis selbst), rechts die Kosten je Kreis und Jahr (Mitte der "
                   "Spanne von–bis). Schraffiert: Länder ohne Szenario-Regel; in Gegenrichtung schraffiert: Kreise "
                   "mit offenen Fällen. Die Zahlen je Kommune stehen in der CSV.", "",
                   f"![Karte: neu erfasste Kommunen und Kosten je Kreis]({karte})", ""]
        if karte_quelle:
            zeilen.append(f"*{md(karte_quelle)}*")
    zeilen += ["", "## Nach Größenklassen", ""] + als_markdown_tabelle(zeilen_groessenklassen(wirkung))
    offen = [b for w in wirkung.values() for b in w.offen]
    zeilen += ["", f"## Offene Fälle ({zahl(len(offen))})", ""]
    if offen:
        for b in sorted(offen, key=lambda b: (b.kommune.land, b.kommune.ags or ""))[:200]:
            zeilen.append(f"- {b.kommune.ags or ''} {md(b.kommune.name)} ({b.kommune.land}): {md(b.regel.titel)}")
        if len(offen) > 200:
            zeilen.append(f"- … und {zahl(len(offen) - 200)} weitere (siehe CSV)")
    else:
        zeilen.append("Keine.")
    pflicht = any(r.art is not None and r.art.value == "pflicht" for r in regeln)
    zeilen += ["", "## Konnexität" if pflicht else "## Kosten für das Land", ""]
    if pflicht:
        zeilen += ["> „Die Länder müssen den Kommunen die Kosten der neuen Aufgabe – oder der wesentlichen Erweiterung "
                   "einer bestehenden Aufgabe – ausgleichen.“ (Studie, Kap. 3.1; Kap. 7.1 verweist darauf)", "",
                   "Die Kosten oben sind die Größenordnung dieses Ausgleichs nach dem Kostenmodell – ohne Sachkosten "
                   "und Gemeinkosten. Wo ein geltendes Landesprogramm schon Stellen fördert („schon gefördert“), "
                   "würden diese angerechnet; die Mehrkosten sind dort kleiner.", ""]
    else:
        zeilen += ["Eine Förderung ist keine Pflichtaufgabe: Ein Konnexitätsausgleich entsteht nicht, die Kommunen "
                   "bleiben frei (Tabelle 5 der Studie). Die Kosten oben sind der Förderbedarf des Landes, wenn alle "
                   "erfassten Kommunen die Förderung in Anspruch nehmen.", ""]
    if csv_name:
        zeilen.append(f"Alle erfassten Kommunen: `{csv_name}`.")
    zeilen += ["", f"*{HINWEIS}. Erstellt mit kommunalpflichten. Daten: © Destatis 2025, Zensus 2022 (Datenlizenz "
               "Deutschland – Namensnennung 2.0).*", ""]
    return sichtbar("\n".join(zeilen))


def csv_zeilen(wirkung: dict[str, Landeswirkung]) -> list[list[str]]:
    kopf = ["AGS", "Kommune", "Land", "Kommunaltyp", "Einwohner", "ausländische Einwohner", "Größenklasse", "Regel",
            "Status", "schon gefördert", "Stellen von", "Stellen bis", "Kosten von (€)", "Kosten bis (€)", "Hinweis"]
    zeilen = [kopf]
    for w in wirkung.values():
        for b in w.neu + w.offen:
            k = b.kommune
            zeilen.append([k.ags or "", k.name, k.land, KOMMUNALTYPEN[k.typ].bezeichnung, str(k.einwohner),
                           str(k.auslaendische_einwohner), groessenklasse(k.einwohner), b.regel.id,
                           "gilt" if b in w.neu else "offen", "ja" if b.gefoerdert else "nein",
                           _stellen(b.stellen_von), _stellen(b.stellen_bis),
                           str(round(b.kosten_von)), str(round(b.kosten_bis)), HINWEIS])
    return [[sichtbar(x) for x in z] for z in zeilen]


def diagramm(wirkung: dict[str, Landeswirkung], titel: str) -> dict[str, bytes]:
    """Balken je Land: links neu erfasste Kommunen (offen schraffiert), rechts Kosten von–bis. PNG und SVG als Bytes
    (der Aufrufer schreibt sie atomar)."""
    import io

    import matplotlib

    from engine.ausgabe.matplotlib_still import still

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with still():
        fig = figur(wirkung, titel)
        bilder = {}
        for endung in ("png", "svg"):
            puffer = io.BytesIO()
            fig.savefig(puffer, format=endung, dpi=120,
                        metadata={"Software": None} if endung == "png" else {"Date": None})
            bilder[endung] = puffer.getvalue()
        plt.close(fig)
    return bilder


def _deutsch(wert: float, _pos=None) -> str:
    """Achsenbeschriftung in deutscher Schreibweise: „0,5“, „1.200“ (nie „0.5“)."""
    if abs(wert - round(wert)) < 1e-9:
        return zahl(int(round(wert)))
    return f"{wert:.1f}".replace(".", ",")


def figur(wirkung: dict[str, Landeswirkung], titel: str):
    """Die Abbildung (matplotlib): deutsche Zahlen an den Achsen, ganze Kommunen, die Legende über den Balken statt
    auf ihnen."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    laender = list(wirkung)
    namen = [LAENDER[c].name for c in laender]
    neu = [len(wirkung[c].neu) for c in laender]
    offen = [len(wirkung[c].offen) for c in laender]
    von = [float(wirkung[c].summe("kosten_von")) / 1e6 for c in laender]
    bis = [float(wirkung[c].summe("kosten_bis", True)) / 1e6 for c in laender]
    fig, (links, rechts) = plt.subplots(1, 2, figsize=(12, 0.42 * len(laender) + 2.2), sharey=True,
                                        layout="constrained")
    y = range(len(laender))
    links.barh(y, neu, color="#0b4f8a", label="neu erfasst")
    links.barh(y, offen, left=neu, color="white", edgecolor="#0b4f8a", hatch="///", label="offen")
    links.set_yticks(list(y), namen)
    links.invert_yaxis()
    links.set_xlabel("Kommunen")
    links.xaxis.set_major_locator(MaxNLocator(integer=True))
    rechts.barh(y, von, color="#7a4a00", label="untere Grenze")
    rechts.barh(y, [b - v for v, b in zip(von, bis)], left=von, color="white", edgecolor="#7a4a00", hatch="...",
                label="bis obere Grenze")
    rechts.set_xlabel("Kosten je Jahr (Mio. €, Modellrechnung)")
    for achse in (links, rechts):
        achse.margins(x=0.08)
        achse.xaxis.set_major_formatter(FuncFormatter(_deutsch))
        achse.legend(loc="lower left", bbox_to_anchor=(0, 1.01), ncol=2, fontsize=8, frameon=False,
                     borderaxespad=0)
    fig.suptitle(f"{titel}\n{HINWEIS}", fontsize=11)
    return fig


__all__ = ["markdown_bericht", "csv_zeilen", "diagramm", "figur", "zeilen_je_land", "zeilen_groessenklassen",
           "als_text_tabelle", "HINWEIS"]
