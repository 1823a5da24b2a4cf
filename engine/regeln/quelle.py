"""Welche Regeln ein Werkzeug für Regelautoren benutzt – und dass es das sagt.

* ohne Pfad, aufgerufen in einem Checkout (``./rules`` mit Länderordnern): die Regeln des Arbeitsbaums – wer eine
  Regeldatei bearbeitet, will genau diese prüfen, auch wenn das Paket anderswo installiert ist;
* sonst ohne Pfad: die mitgelieferten Regeln;
* mit Pfaden: genau diese. Für ``regeln testen`` gehört zu einem Länderordner (``…/rules/hessen``) oder einer einzelnen
  Testdatei die ganze Regelbasis darüber (Tests eines Landes brauchen oft Bundesregeln und Verweise).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from engine.begriffe import LAENDER
from engine.regeln.basis import regeldateien, standard_regelverzeichnis

def _ordnername(name: str) -> str:
    """„Baden-Württemberg“ → „baden-wuerttemberg“ (so heißen die Länderordner in rules/)."""
    for umlaut, ersatz in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        name = name.lower().replace(umlaut, ersatz)
    return name.replace(" ", "-")


_ORDNERNAMEN = ({code.lower() for code in LAENDER} | {_ordnername(land.name) for land in LAENDER.values()}
                | {"de", "bund"})
_HOECHSTENS_AUFWAERTS = 4


@dataclass
class Regelquelle:
    pfade: list[Path]
    beschreibung: str  # für die Meldung „Regeln: …“

    def meldung(self) -> str:
        anzahl = len(regeldateien([p for p in self.pfade if p.exists()]))
        return f"Regeln: {self.beschreibung} – {anzahl} Regeldateien"


def ist_regelwurzel(ordner: Path) -> bool:
    """Ein Ordner mit mindestens einem Länderordner (``he``, ``nw``, ``de`` …), in dem YAML-Dateien liegen."""
    try:
        return any(k.is_dir() and k.name in _ORDNERNAMEN and any(k.glob("*.yaml")) for k in ordner.iterdir())
    except OSError:
        return False


def regelquelle(pfade: list[Path] | None, arbeitsverzeichnis: Path | None = None) -> Regelquelle:
    """Die Regeln für ``regeln pruefen``/``liste``/``zeigen``/``abdeckung`` (siehe Modulbeschreibung)."""
    if pfade:
        return Regelquelle(list(pfade), ", ".join(str(p) for p in pfade))
    standard = standard_regelverzeichnis()
    arbeitsbaum = (arbeitsverzeichnis or Path.cwd()) / "rules"
    if arbeitsbaum.is_dir() and ist_regelwurzel(arbeitsbaum) and arbeitsbaum.resolve() != standard.resolve():
        return Regelquelle([arbeitsbaum], f"Arbeitsverzeichnis {arbeitsbaum}")
    return Regelquelle([standard], f"mitgeliefert ({standard})")


def wurzel_zu(pfad: Path) -> Path:
    """Die Regelbasis, zu der ein Test- oder Länderordner gehört: der nächste Ordner darüber mit Länderordnern; gibt es
    keinen, ist der Pfad (bzw. sein Ordner) selbst die Regelbasis."""
    start = pfad if pfad.is_dir() else pfad.parent
    for stufe, kandidat in enumerate([start, *start.parents]):
        if stufe > _HOECHSTENS_AUFWAERTS:
            break
        if ist_regelwurzel(kandidat):
            return kandidat
    return start


def regelquelle_fuer_tests(pfade: list[Path] | None, regeln: list[Path] | None,
                           arbeitsverzeichnis: Path | None = None) -> Regelquelle:
    """Die Regeln für ``regeln testen``: ausdrücklich mit ``--regeln``, sonst die Regelbasis der Testpfade."""
    if regeln:
        return Regelquelle(list(regeln), ", ".join(str(p) for p in regeln))
    if not pfade:
        return regelquelle(None, arbeitsverzeichnis)
    wurzeln: list[Path] = []
    for p in pfade:
        w = wurzel_zu(p)
        if not any(w == x or x in w.parents for x in wurzeln):
            wurzeln = [x for x in wurzeln if w not in x.parents] + [w]
    return Regelquelle(wurzeln, ", ".join(str(w) for w in wurzeln))


__all__ = ["Regelquelle", "regelquelle", "regelquelle_fuer_tests", "wurzel_zu", "ist_regelwurzel"]
