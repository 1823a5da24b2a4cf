"""Benchmark: ganz Deutschland (alle Gemeinden, Kreise und Bezirke) – Auswerter, Zwischenspeicher, Untergrenze und die
Befehle selbst, alle Verhältnisse im selben Lauf.

    python bench/batch.py [--stichtag 2025-06-01] [--runden 3] [--ohne-cli] [--ohne-referenz]

**Teil 1, im Prozess** (CPU-Sekunden, verschränkt: in jeder Runde jede Variante einmal, damit eine Lastspitze alle
gleich trifft; gedruckt der Median):

* Profile bauen (11.065 Profile aus den mitgelieferten Daten, Schätzung mit Spanne, Tatsachen);
* durable-rules und Referenz-Auswerter je **ohne** Zwischenspeicher (jeder Stützpunkt einzeln; durable-rules fasst
  nur innerhalb eines Profils gleichwertige Stützpunkte zusammen) und je **mit** demselben Zwischenspeicher (eine
  Inferenz je kanonischem Fakt, ein Urteil je Klasse des Plans – beim Referenz-Auswerter hier im Benchmark
  nachgebaut, damit beide dieselbe Arbeit sparen und nur der Auswerter je Klasse verschieden ist);
* die Untergrenze: alle Regeln über alle Spannen dreiwertig und vektorisiert (``bench/untergrenze.py``), ohne
  durable-rules.

Gedruckt: Profile/s, die Verhältnisse (durable-rules gegen Referenz ohne und mit Zwischenspeicher, mit gegen ohne)
und ob alle Ergebnisse gleich sind (Status, Fassung, offene Fragen, Vorbehalte; die Untergrenze: Status).

**Teil 2, die Befehle** (ohne ``--ohne-cli``; Wanduhr und CPU-Zeit der Kindprozesse, verschränkt, Median):
bloße Importe (``import click, pydantic, yaml, durable_rules_engine``), ``check --ags 06413000`` vom Kaltstart mit
gefülltem Zwischenspeicher, ``batch`` CSV mit 1 und 2 Prozessen, ``batch`` JSONL (mit „Demnächst“) mit 2 Prozessen –
und die Verhältnisse batch/check und check/Importe. Die Kindprozesse laufen mit Bytecode-Cache (``__pycache__``, wie
nach jeder Installation); ``PYTHONDONTWRITEBYTECODE`` wird für sie entfernt und vorab einmal jeder Befehl ausgeführt.
"""

from __future__ import annotations

import argparse
import datetime as dt
import filecmp
import statistics
import sys
import tempfile
import time
from pathlib import Path

WURZEL = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(WURZEL))
sys.path.insert(0, str(WURZEL / "bench"))

import untergrenze  # noqa: E402

from engine.auswertung.bedingungen import Inferenz  # noqa: E402
from engine.auswertung.durable import DurableAuswerter  # noqa: E402
from engine.auswertung.kompilieren import epoche, kompiliere_land  # noqa: E402
from engine.auswertung.massen import bewerte  # noqa: E402
from engine.auswertung.referenz import ReferenzAuswerter  # noqa: E402
from engine.kommunen.daten import alle  # noqa: E402
from engine.regeln.basis import lade_regelbasis  # noqa: E402


class ReferenzMitKlassen:
    """Der Referenz-Auswerter mit demselben Zwischenspeicher wie durable-rules in ``batch``: eine Inferenz je
    kanonischem Fakt (die Klassen rechnet derselbe Regelsatz-Code), ``plan.klassen`` gesetzt, damit auch die Urteile
    je Klasse geteilt werden, und ``signatur``, damit ``bewerte`` ganze Zeilen je Signatur teilt. Nur für den fairen
    Vergleich; das Orakel der Tests bleibt ohne Tricks."""

    def __init__(self, regelbasis):
        self.referenz = ReferenzAuswerter(regelbasis)
        self.regelbasis = regelbasis
        self._saetze: dict = {}

    def signatur(self, plan, stichtag) -> tuple:
        land = plan.kommune.land
        schluessel = (land, epoche(self.regelbasis, land, stichtag))
        satz = self._saetze.get(schluessel)
        if satz is None:
            satz = self._saetze[schluessel] = kompiliere_land(self.regelbasis, land, stichtag)
        vorne, hinten = satz.klassenteile(plan.kommune, [b[0] for b in plan.belegungen], plan.punkte)
        return ("referenz", satz.name), tuple(vorne), tuple(hinten)

    def inferiere_plan(self, plan, stichtag, zwischenspeicher=None, signatur=None) -> list[Inferenz]:
        name, vorne, hinten = signatur or self.signatur(plan, stichtag)
        speicher = {} if zwischenspeicher is None else zwischenspeicher
        ergebnis, klassen = [], []
        for i, klasse in enumerate(v + h for v in vorne for h in hinten):
            k = (name, klasse)
            treffer = speicher.get(k)
            if treffer is None:
                treffer = speicher[k] = self.referenz.inferiere(plan.kommune, stichtag, plan.variante(i))
            ergebnis.append(treffer)
            klassen.append(k)
        plan.klassen = tuple(klassen)
        return ergebnis


def lauf(profile, stichtag, regelbasis, auswerter, mit_zwischenspeicher: bool) -> tuple[float, list]:
    zwischenspeicher = {} if mit_zwischenspeicher else None
    beginn = time.process_time()
    zeilen = [bewerte(p, stichtag, regelbasis, auswerter, zwischenspeicher) for p in profile]
    return time.process_time() - beginn, [(z.ergebnisse, z.offen, z.vorbehalte) for z in zeilen]


def profile_bauen(stichtag) -> tuple[float, list]:
    beginn = time.process_time()
    profile = [d.profil(stichtag) for d in alle()]
    return time.process_time() - beginn, profile


def untergrenze_lauf(profile, stichtag, regelbasis) -> tuple[float, list]:
    beginn = time.process_time()
    felder = untergrenze.werte_aus(regelbasis, untergrenze.bereite_vor(profile), stichtag)
    return time.process_time() - beginn, felder


def teil_im_prozess(args) -> None:
    regelbasis = lade_regelbasis()
    durable = DurableAuswerter(regelbasis)
    varianten = [("durable-rules ohne Zwischenspeicher", durable, False)]
    if not args.ohne_referenz:
        varianten.append(("Referenz ohne Zwischenspeicher", ReferenzAuswerter(regelbasis), False))
    varianten.append(("durable-rules mit Zwischenspeicher", durable, True))
    varianten.append(("Referenz mit Zwischenspeicher", ReferenzMitKlassen(regelbasis), True))
    zeiten: dict[str, list[float]] = {name: [] for name in ["Profile bauen", *(v[0] for v in varianten), "Untergrenze"]}
    zeilen: dict[str, list] = {}
    profile: list = []
    for _ in range(args.runden):
        dauer, profile = profile_bauen(args.stichtag)
        zeiten["Profile bauen"].append(dauer)
        for name, auswerter, cache in varianten:
            dauer, zeilen[name] = lauf(profile, args.stichtag, regelbasis, auswerter, cache)
            zeiten[name].append(dauer)
        dauer, felder = untergrenze_lauf(profile, args.stichtag, regelbasis)
        zeiten["Untergrenze"].append(dauer)
    print(f"{len(profile)} Profile, {len(regelbasis.regeln)} Regeln, Stichtag {args.stichtag:%d.%m.%Y}, "
          f"{args.runden} verschränkte Runden (CPU-Zeit dieses Prozesses, Median)")
    median = {name: statistics.median(z) for name, z in zeiten.items()}
    for name, m in median.items():
        print(f"  {name:<38} {len(profile) / m:>9,.0f} Profile/s  ({m:.3f} s)".replace(",", "."))
    d_ohne, d_mit = median["durable-rules ohne Zwischenspeicher"], median["durable-rules mit Zwischenspeicher"]
    r_mit = median["Referenz mit Zwischenspeicher"]
    if not args.ohne_referenz:
        r_ohne = median["Referenz ohne Zwischenspeicher"]
        print(f"Geschwindigkeit durable-rules / Referenz, beide ohne Zwischenspeicher: {r_ohne / d_ohne:.2f}×")
    print(f"Geschwindigkeit durable-rules / Referenz, beide mit Zwischenspeicher:  {r_mit / d_mit:.2f}×")
    print(f"Zwischenspeicher (mit / ohne), durable-rules: {d_ohne / d_mit:.2f}× schneller")
    print(f"Untergrenze (vektorisiert) gegen durable-rules mit Zwischenspeicher: {median['Untergrenze'] * 1000:.0f} ms "
          f"gegen {d_mit * 1000:.0f} ms ({d_mit / median['Untergrenze']:.1f}×); Profile bauen {median['Profile bauen'] * 1000:.0f} ms")
    ergebnisse = list(zeilen.values())
    gleich = all(e == ergebnisse[0] for e in ergebnisse[1:])
    print(f"Ergebnisse aller Auswerter gleich (Status, Fassung, offene Fragen, Vorbehalte): {'ja' if gleich else 'NEIN'}")
    erwartet = {(p.ags, rid): status.value for p, (liste, _, _) in zip(profile, ergebnisse[0]) for rid, status, _ in liste}
    g, n, beispiele = untergrenze.vergleiche_mit(untergrenze.als_zeilen(felder), erwartet)
    print(f"Untergrenze: Status gleich in {g:,} von {n:,} Zeilen".replace(",", ".") + " (AGS, Regel)")
    for (ags, rid), soll, ist in beispiele:
        print(f"  abweichend: {ags} {rid}: batch {soll}, Untergrenze {ist}")


from messen import messe, umgebung as _umgebung  # noqa: E402  (gemeinsam mit den übrigen Benchmarks)


def teil_befehle(args) -> None:
    programm = Path(sys.executable).parent / "kommunalpflichten"
    cli = [str(programm)] if programm.exists() else [sys.executable, "-m", "cli.main"]
    tag = args.stichtag.isoformat()
    with tempfile.TemporaryDirectory() as tmp:
        befehle = {
            "bloße Importe": [sys.executable, "-c", "import click, pydantic, yaml, durable_rules_engine"],
            "check --ags 06413000 (kalt)": cli + ["check", "--ags", "06413000", "--stichtag", tag],
            "batch CSV, 1 Prozess": cli + ["batch", "--stichtag", tag, "--prozesse", "1", "--ausgabe", f"{tmp}/ein.csv"],
            "batch CSV, 2 Prozesse": cli + ["batch", "--stichtag", tag, "--prozesse", "2", "--ausgabe", f"{tmp}/zwei.csv"],
            "batch JSONL mit Demnächst, 2 Prozesse": cli + ["batch", "--stichtag", tag, "--prozesse", "2", "--ausgabe",
                                                            f"{tmp}/de.jsonl"],
        }
        for befehl in befehle.values():  # Bytecode und Zwischenspeicher anlegen
            messe(befehl)
        wand: dict[str, list[float]] = {name: [] for name in befehle}
        cpu: dict[str, list[float]] = {name: [] for name in befehle}
        for _ in range(args.runden_cli):
            for name, befehl in befehle.items():
                w, c = messe(befehl)
                wand[name].append(w)
                cpu[name].append(c)
        gleich = filecmp.cmp(f"{tmp}/ein.csv", f"{tmp}/zwei.csv", shallow=False)
    mw = {n: statistics.median(z) for n, z in wand.items()}
    mc = {n: statistics.median(z) for n, z in cpu.items()}
    print(f"\nBefehle ({args.runden_cli} verschränkte Runden, Median; Wanduhr und CPU-Zeit des Prozesses samt Kindern):")
    for name in befehle:
        print(f"  {name:<40} {mw[name]:7.3f} s Wanduhr  {mc[name]:7.3f} s CPU")
    check, importe = "check --ags 06413000 (kalt)", "bloße Importe"
    print("Verhältnisse (Wanduhr | CPU):")
    for name in ("batch CSV, 1 Prozess", "batch CSV, 2 Prozesse", "batch JSONL mit Demnächst, 2 Prozesse"):
        print(f"  {name} / kalter check: {mw[name] / mw[check]:5.1f}× | {mc[name] / mc[check]:5.1f}×")
    print(f"  kalter check / bloße Importe: {mw[check] / mw[importe]:5.2f}× | {mc[check] / mc[importe]:5.2f}×")
    print(f"  CSV mit 1 und 2 Prozessen byteweise gleich: {'ja' if gleich else 'NEIN'}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stichtag", type=dt.date.fromisoformat, default=dt.date(2025, 6, 1))
    parser.add_argument("--runden", type=int, default=3, help="Runden im Prozess")
    parser.add_argument("--runden-cli", type=int, default=5, help="Runden der Befehle")
    parser.add_argument("--ohne-cli", action="store_true")
    parser.add_argument("--ohne-referenz", action="store_true", help="ohne den langsamen Referenz-Auswerter ohne Speicher")
    args = parser.parse_args()
    teil_im_prozess(args)
    if not args.ohne_cli:
        teil_befehle(args)


if __name__ == "__main__":
    main()
