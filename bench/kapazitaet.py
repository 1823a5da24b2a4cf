"""Kapazität von durable-rules: jede Regel eines Landes ×2, ×5, ×10 (mit eigenen ids) – wertet jede Kommune des
Landes noch richtig aus (gegen den Referenz-Auswerter)?

Aufruf:  python bench/kapazitaet.py [--faktoren 2 5 10] [--laender NW HE] [--stichtag 2025-06-01] [--je-land 150]

Je Land und Faktor: Zahl der Regeln im (größten) Regelsatz, ausgewertete Kommunen, Abweichungen und Fehler von
durable-rules. Ziel (Issue 10): ×10 wertet in jedem Land richtig aus.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

WURZEL = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(WURZEL))

from engine.auswertung import varianten  # noqa: E402
from engine.auswertung.durable import DurableAuswerter  # noqa: E402
from engine.auswertung.referenz import ReferenzAuswerter  # noqa: E402
from engine.begriffe import LAENDER  # noqa: E402
from engine.fehler import EngineFehler  # noqa: E402
from engine.kommunen.daten import alle  # noqa: E402
from engine.regeln.basis import LAND_ORDNER, lade_regelbasis, standard_regelverzeichnis  # noqa: E402

ORDNER = {code: ordner for ordner, code in LAND_ORDNER.items()}


def vervielfache(ziel: Path, land: str, faktor: int) -> None:
    """Kopie der Regelbasis, in der jede Regel des Landes ``faktor``-mal vorkommt (Kopie i mit id-Endung ``_k<i>``)."""
    quelle = standard_regelverzeichnis()
    shutil.copytree(quelle, ziel, ignore=shutil.ignore_patterns("tests", "__pycache__", "*.py"))
    ordner = ziel / ORDNER[land]
    dateien = sorted(ordner.glob("*.yaml"))
    ids = [re.search(r"^id: (\S+)", d.read_text(encoding="utf-8"), re.M).group(1) for d in dateien]
    for i in range(1, faktor):
        for datei in dateien:
            text = datei.read_text(encoding="utf-8")
            for rid in sorted(ids, key=len, reverse=True):  # Bezüge innerhalb derselben Kopie
                text = re.sub(rf"(?<![\w.]){re.escape(rid)}(?![\w.])", f"{rid}_k{i}", text)
            (ordner / f"{datei.stem}_k{i}.yaml").write_text(text, encoding="utf-8")


def pruefe(land: str, faktor: int, stichtag: dt.date, je_land: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        ziel = Path(tmp) / "rules"
        vervielfache(ziel, land, faktor)
        regelbasis = lade_regelbasis([ziel])
        durable = DurableAuswerter(regelbasis)
        referenz = ReferenzAuswerter(regelbasis)
        kommunen = [d for d in alle() if d.land == land]
        schritt = max(1, len(kommunen) // je_land)
        kommunen = kommunen[::schritt][:je_land]
        abweichungen = fehler = punkte = 0
        meldung = ""
        beginn = time.perf_counter()
        for d in kommunen:
            profil = d.profil(stichtag)
            plan = varianten.plane(profil, regelbasis)
            try:
                a = durable.inferiere_plan(plan, stichtag)
            except EngineFehler as exc:
                fehler += 1
                meldung = meldung or str(exc)[:160]
                continue
            b = referenz.inferiere_plan(plan, stichtag)
            punkte += len(a)
            abweichungen += sum(x.normalisiert() != y.normalisiert() for x, y in zip(a, b))
        regeln = max((r.satz.anzahl_regeln() for r in durable._registriert.values()), default=0)
        return {"regeln": regeln, "kommunen": len(kommunen), "punkte": punkte, "abweichungen": abweichungen,
                "fehler": fehler, "meldung": meldung, "sekunden": time.perf_counter() - beginn}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--faktoren", type=int, nargs="+", default=[1, 2, 5, 10])
    parser.add_argument("--laender", nargs="+", default=sorted(LAENDER))
    parser.add_argument("--stichtag", type=dt.date.fromisoformat, default=dt.date(2025, 6, 1))
    parser.add_argument("--je-land", type=int, default=150, help="höchstens so viele Kommunen je Land (gleichmäßig)")
    args = parser.parse_args()
    print(f"{'Land':<5}{'Faktor':>7}{'Regeln':>8}{'Kommunen':>10}{'Stützp.':>9}{'Abweich.':>10}{'Fehler':>8}{'s':>7}  Ergebnis")
    alles_gut = True
    for land in args.laender:
        for faktor in args.faktoren:
            e = pruefe(land, faktor, args.stichtag, args.je_land)
            gut = not e["abweichungen"] and not e["fehler"]
            alles_gut &= gut
            print(f"{land:<5}{'×' + str(faktor):>7}{e['regeln']:>8}{e['kommunen']:>10}{e['punkte']:>9}"
                  f"{e['abweichungen']:>10}{e['fehler']:>8}{e['sekunden']:>7.1f}  {'richtig' if gut else e['meldung']}")
    print("Alle Faktoren werten in allen Ländern richtig aus." if alles_gut else "NICHT alle Faktoren werten richtig aus.")


if __name__ == "__main__":
    main()
