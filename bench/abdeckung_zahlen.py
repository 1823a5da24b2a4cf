"""Wie gut decken die geschätzten Spannen veröffentlichte Zahlen? (Issue 8, „Zahlen, die ehrlich altern“)

Für jede veröffentlichte Zahl in tests/fixtures/veroeffentlichte_zahlen.yaml: das Profil der Kommune aus den
mitgelieferten Daten am Stichtag der Zahl, die Spanne der geschätzten ausländischen Einwohner und das Ergebnis der
Schwellenregel des Landes. Gezählt wird, ob die Zahl in der Spanne liegt oder die Regel „unbestimmt“ sagt (dann fragt
die Engine nach der eigenen Zahl, statt falsch zu entscheiden).

Aufruf:  python bench/abdeckung_zahlen.py [--alle]    (--alle: jede Zeile einzeln ausgeben)
"""

from __future__ import annotations

import sys
from pathlib import Path

WURZEL = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(WURZEL))

import hashlib  # noqa: E402

import yaml  # noqa: E402

from engine.auswertung.bericht import erstelle_bericht  # noqa: E402
from engine.auswertung.referenz import ReferenzAuswerter  # noqa: E402
from engine.begriffe import Status  # noqa: E402
from engine.kommunen.daten import nach_ags  # noqa: E402
from engine.regeln.basis import lade_regelbasis  # noqa: E402

FIXTURE = WURZEL / "tests" / "fixtures" / "veroeffentlichte_zahlen.yaml"
ZAEHLT = ("melderegister", "statistik")


def haelfte(ags: str) -> str:
    """Kalibrierung oder Test – festgelegt, bevor eine Zahl angesehen oder ein Parameter angepasst wurde (Issue 20):
    SHA-256 der AGS (wie im Profil: 8 Ziffern für Gemeinden und Bezirke, 5 für Kreise), gerade → Kalibrierung.
    Alle Zahlen eines Ortes liegen so in derselben Hälfte; die Testhälfte stimmt nie die Parameter."""
    return "kalibrierung" if int(hashlib.sha256(ags.encode("ascii")).hexdigest(), 16) % 2 == 0 else "test"


def zeilen() -> list[dict]:
    return yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))


def bewerte(zeile: dict, regelbasis, auswerter) -> dict:
    kommune = nach_ags(zeile["ags"]).profil(zeile["stichtag"])
    von, bis = kommune.spanne("auslaendische_einwohner")
    bericht = erstelle_bericht(kommune, zeile["stichtag"], regelbasis, auswerter)
    gremium = [e for e in bericht.ergebnisse if e.regel.gegenstand == "integrationsgremium"]
    unbestimmt = any(e.status == Status.unbestimmt and any(f.merkmal in ("auslaendische_einwohner", "auslaenderanteil")
                                                        for f in e.offen) for e in gremium)
    zahl = zeile["auslaendische_einwohner"]
    return {"drin": von <= zahl <= bis, "unbestimmt": unbestimmt, "von": von, "bis": bis,
            "schaetzung": kommune.auslaendische_einwohner}


def abdeckung() -> dict:
    regelbasis = lade_regelbasis()
    auswerter = ReferenzAuswerter(regelbasis)
    ergebnis = {"gezaehlt": 0, "drin": 0, "drin_oder_unbestimmt": 0, "zeilen": [], "sonstige": 0, "sonstige_drin": 0}
    for zeile in zeilen():
        if zeile["basis"] == "wahlberechtigte":
            continue
        b = bewerte(zeile, regelbasis, auswerter)
        ergebnis["zeilen"].append((zeile, b))
        if zeile["basis"] in ZAEHLT:
            ergebnis["gezaehlt"] += 1
            ergebnis["drin"] += b["drin"]
            ergebnis["drin_oder_unbestimmt"] += b["drin"] or b["unbestimmt"]
        else:
            ergebnis["sonstige"] += 1
            ergebnis["sonstige_drin"] += b["drin"] or b["unbestimmt"]
    return ergebnis


def main() -> None:
    e = abdeckung()
    if "--alle" in sys.argv:
        for zeile, b in e["zeilen"]:
            marke = "drin" if b["drin"] else ("unbestimmt" if b["unbestimmt"] else "DANEBEN")
            print(f"{marke:<10} {zeile['land']} {zeile['name'][:28]:<28} {zeile['stichtag']} {zeile['basis']:<13} "
                  f"veröffentlicht {zeile['auslaendische_einwohner']:>6}  Schätzung {b['schaetzung']:>6} "
                  f"({b['von']}–{b['bis']})")
    n = e["gezaehlt"]
    print(f"{n} veröffentlichte Melderegister-/Statistikzahlen: {e['drin']} in der Spanne "
          f"({100 * e['drin'] / n:.0f} %), {e['drin_oder_unbestimmt']} in der Spanne oder „unbestimmt“ "
          f"({100 * e['drin_oder_unbestimmt'] / n:.0f} %)")
    print(f"weitere {e['sonstige']} Zahlen ohne ausgewiesene Zählweise: {e['sonstige_drin']} in der Spanne oder "
          "„unbestimmt“")


if __name__ == "__main__":
    main()
