"""Karten als Bild (PNG und SVG) mit matplotlib – für Szenarioberichte und ``batch --karte``.

Mehrere Karten (z. B. „neu erfasst“ und „Kosten“) stehen nebeneinander, jede mit ihrer Legende in Worten darunter;
unter allem der Quellenvermerk der Kartengrundlage. Schraffuren statt Farbe allein: „nicht betroffen“ hell
schraffiert, „mit offenen Fällen“ dunkel in Gegenrichtung – auch im Graudruck lesbar.
"""

from __future__ import annotations

import io
import textwrap

from engine.ausgabe.karten import OFFEN_TEXT, Karte, ausdehnung, projizierte_ringe, vereinfache

PUNKTE_JE_BREITE = 700  # vereinfacht auf etwa einen Bildpunkt: unsichtbar, spart bei Deutschland drei Viertel
SCHRAFFUR_OHNE = "////"
SCHRAFFUR_OFFEN = "\\\\"  # weit und dünn: die Farbe darunter bleibt lesbar


def _pfad(ringe):
    from matplotlib.path import Path

    punkte, codes = [], []
    for r in ringe:
        punkte += r + [r[0]]
        codes += [Path.MOVETO] + [Path.LINETO] * (len(r) - 1) + [Path.CLOSEPOLY]
    return Path(punkte, codes)


def bilder(karten: list[Karte], titel: str, quelle: str) -> dict[str, bytes]:
    """PNG und SVG als Bytes (der Aufrufer schreibt sie atomar), ohne englische Warnungen von matplotlib."""
    from engine.ausgabe.matplotlib_still import still

    with still():
        return _bilder(karten, titel, quelle)


def _bilder(karten: list[Karte], titel: str, quelle: str) -> dict[str, bytes]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch, PathPatch

    fig, achsen = plt.subplots(1, len(karten), figsize=(6.2 * len(karten), 9.6))
    achsen = list(achsen) if len(karten) > 1 else [achsen]
    for achse, karte in zip(achsen, karten):
        x0, y0, x1, y1 = ausdehnung([r for f in karte.flaechen for r in projizierte_ringe(f.gebiet)])
        toleranz = max(x1 - x0, y1 - y0) / PUNKTE_JE_BREITE
        for f in karte.flaechen:
            ringe = [r for r in (vereinfache(r, toleranz) for r in projizierte_ringe(f.gebiet)) if r]
            if not ringe:
                continue
            pfad = _pfad(ringe)
            achse.add_patch(PathPatch(pfad, facecolor=f.stufe.farbe, edgecolor="#8c8c8c" if f.stufe.schraffiert
                                      else "#4d4d4d", linewidth=0.25, hatch=SCHRAFFUR_OHNE if f.stufe.schraffiert
                                      else None))
            if f.offen:
                with matplotlib.rc_context({"hatch.linewidth": 0.6}):
                    achse.add_patch(PathPatch(pfad, facecolor="none", edgecolor="#1a1a1a", linewidth=0,
                                              hatch=SCHRAFFUR_OFFEN))
        for g in karte.umrisse:
            ringe = [r for r in (vereinfache(r, toleranz) for r in projizierte_ringe(g)) if r]
            achse.add_patch(PathPatch(_pfad(ringe), facecolor="none", edgecolor="#000000", linewidth=0.9))
        achse.set_aspect("equal")
        achse.autoscale_view()
        achse.axis("off")
        achse.set_title("\n".join(textwrap.wrap(karte.titel, 52)), fontsize=10.5)
        griffe = [Patch(facecolor=s.farbe, edgecolor="#8c8c8c" if s.schraffiert else "#4d4d4d", linewidth=0.5,
                        hatch=SCHRAFFUR_OHNE if s.schraffiert else None, label=s.text) for s in karte.legende]
        if karte.mit_offen:
            with matplotlib.rc_context({"hatch.linewidth": 0.6}):
                griffe.append(Patch(facecolor="#ffffff", edgecolor="#1a1a1a", linewidth=0.5, hatch=SCHRAFFUR_OFFEN,
                                    label="\n".join(textwrap.wrap(OFFEN_TEXT, 46))))
        achse.legend(handles=griffe, loc="upper center", bbox_to_anchor=(0.5, 0.0), fontsize=8.5, frameon=False,
                     handlelength=2.2, handleheight=1.4)
    fig.suptitle(titel, fontsize=12)
    fig.text(0.5, 0.008, "\n".join(textwrap.wrap(quelle, 75 * len(karten))), ha="center", va="bottom", fontsize=7.5,
             color="#333333")
    fig.subplots_adjust(left=0.01, right=0.99, top=0.86, bottom=0.27, wspace=0.04)
    ergebnis = {}
    for endung in ("png", "svg"):
        puffer = io.BytesIO()
        with matplotlib.rc_context({"svg.hashsalt": "kommunalpflichten"}):  # feste ids: gleiche Karte, gleiche Datei
            fig.savefig(puffer, format=endung, dpi=110,
                        metadata={"Software": None} if endung == "png" else {"Date": None})
        ergebnis[endung] = puffer.getvalue()
    plt.close(fig)
    return ergebnis


__all__ = ["bilder"]
