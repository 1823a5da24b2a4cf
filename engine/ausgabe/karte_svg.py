"""Eine Karte als SVG zum Einbetten in eine Webseite – ohne JavaScript, ohne Kartenbibliothek.

Jede Fläche ist ein Link (mit Tab erreichbar) mit einem ``<title>``, der den Kreis und seine Zahlen nennt; die Karte
selbst hat ``<title>`` und ``<desc>`` als Textalternative. Die Legende steht im HTML daneben (``Karte.legende``).
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from engine.ausgabe.karten import Flaeche, Karte, ausdehnung, projizierte_ringe, vereinfache
from engine.zahlen import sichtbar

RAND = 4  # px um die Karte


def _text(wert: str) -> str:
    return escape(sichtbar(wert))


def _attr(wert: str) -> str:
    return quoteattr(sichtbar(wert))


def _zahl(wert: float) -> str:
    text = f"{wert:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _pfad(ringe: list[list[tuple[float, float]]]) -> str:
    """Ringe als Pfad mit relativen Schritten auf 0,1 px: ein Drittel kürzer als absolute Koordinaten."""
    teile = []
    for r in ringe:
        punkte = [(round(x, 1), round(y, 1)) for x, y in r]
        (x0, y0), schritte = punkte[0], []
        vorher = punkte[0]
        for x, y in punkte[1:]:
            dx, dy = x - vorher[0], y - vorher[1]
            if dx or dy:
                schritte.append(f"{_zahl(dx)},{_zahl(dy)}")
            vorher = (x, y)
        teile.append(f"M{_zahl(x0)},{_zahl(y0)}l" + " ".join(schritte) + "z")
    return "".join(teile)


def svg(karte: Karte, breite: int = 600, kennung: str = "karte", toleranz_px: float = 0.5) -> str:
    """Das SVG-Element als Text; ``kennung`` macht die ids auf der Seite eindeutig."""
    projiziert = [(f, projizierte_ringe(f.gebiet)) for f in karte.flaechen]
    umrisse = [projizierte_ringe(g) for g in karte.umrisse]
    x0, y0, x1, y1 = ausdehnung([r for _, ringe in projiziert for r in ringe])
    massstab = (breite - 2 * RAND) / (x1 - x0)
    hoehe = round((y1 - y0) * massstab + 2 * RAND)
    toleranz_km = toleranz_px / massstab

    def zeichne(ringe):
        ergebnis = []
        for r in ringe:
            r = vereinfache(r, toleranz_km)
            if r:
                ergebnis.append([(RAND + (x - x0) * massstab, RAND + (y1 - y) * massstab) for x, y in r])
        return ergebnis

    zeilen = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {breite} {hoehe}" class="karte-svg" '
              f'role="group" aria-labelledby="{kennung}-titel" aria-describedby="{kennung}-beschreibung">',
              f'<title id="{kennung}-titel">{_text(karte.titel)}</title>',
              f'<desc id="{kennung}-beschreibung">{_text(karte.beschreibung)}</desc>',
              "<defs>",
              f'<pattern id="{kennung}-ohne" width="6" height="6" patternUnits="userSpaceOnUse" '
              'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
              '<line x1="0" y1="0" x2="0" y2="6" stroke="#8c8c8c" stroke-width="1.5"/></pattern>',
              f'<pattern id="{kennung}-offen" width="7" height="7" patternUnits="userSpaceOnUse" '
              'patternTransform="rotate(-45)"><line x1="0" y1="0" x2="0" y2="7" stroke="#000000" '
              'stroke-opacity="0.5" stroke-width="1"/></pattern>',
              "</defs>",
              '<g class="flaechen" stroke="#4d4d4d" stroke-width="0.6" stroke-linejoin="round">']
    for f, ringe in projiziert:
        zeilen.append(_flaeche(f, _pfad(zeichne(ringe)), kennung))
    zeilen.append("</g>")
    if umrisse:
        zeilen.append('<g class="umrisse" fill="none" stroke="#000000" stroke-width="1.4" pointer-events="none" '
                      'aria-hidden="true">')
        zeilen += [f'<path d="{_pfad(zeichne(ringe))}"/>' for ringe in umrisse]
        zeilen.append("</g>")
    zeilen.append("</svg>")
    return "\n".join(zeilen)


def _flaeche(f: Flaeche, d: str, kennung: str) -> str:
    fuellung = f"url(#{kennung}-ohne)" if f.stufe.schraffiert else f.stufe.farbe
    schluessel = f.gebiet.schluessel
    teile = [f'<title>{_text(f.titel)}</title>']
    if f.offen:  # dieselbe Fläche ein zweites Mal, schraffiert: als Verweis statt doppelter Koordinaten
        teile += [f'<g fill="{fuellung}"><path id="{kennung}-p-{schluessel}" d="{d}" fill-rule="evenodd"/></g>',
                  f'<use href="#{kennung}-p-{schluessel}" fill="url(#{kennung}-offen)" stroke="none"/>']
    else:
        teile.append(f'<path d="{d}" fill="{fuellung}" fill-rule="evenodd"/>')
    if f.ziel:
        return f'<a href={_attr(f.ziel)} id="{kennung}-{schluessel}" class="gebiet">' + "".join(teile) + "</a>"
    return f'<g id="{kennung}-{schluessel}" class="gebiet">' + "".join(teile) + "</g>"


__all__ = ["svg"]
