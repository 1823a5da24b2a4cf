"""Wie gut treffen die geschätzten Zahlen veröffentlichte Zählungen? (Issue 20: Zahlen nach dem Maß des Gesetzes)

Für jede veröffentlichte Zahl in tests/fixtures/veroeffentlichte_zahlen.yaml: das Profil der Kommune aus den
mitgelieferten Daten am Stichtag der Zahl, die Spanne und der Mittelwert der geschätzten ausländischen Einwohner, die
Abweichung (veröffentlicht − Schätzung) / Schätzung und die Schwellenregeln des Landes – einmal mit der Schätzung,
einmal mit der veröffentlichten Zahl als eigener Zahl (wie ``--auslaendische-einwohner``). Eine Regel „kippt“, wenn
die Schätzung eine feste Antwort gibt (gilt / gilt nicht) und die veröffentlichte Zahl die entgegengesetzte.

Kalibrierung und Test trennt ``haelfte`` (SHA-256 der AGS, festgelegt vor jeder Anpassung): an der
Kalibrierungshälfte werden die Parameter in ``engine/kommunen/alterung.py`` eingestellt, die Testhälfte misst.
Zahlen, die erst nach der Festlegung der Parameter gefunden wurden (Feld ``nach_festlegung``: der Commit), bilden eine
dritte, zurückgehaltene Gruppe – sie stellen nichts ein und wurden vor ihrer Bewertung nie angesehen.

Nie gesehen haben die Parameter die Testhälfte und die zurückgehaltenen Zahlen; beide zusammen sind die Gruppe
``nie_gesehen``. Die zurückgehaltenen Zahlen werden zusätzlich nach der Hälfte gezeigt, in die ihre AGS fiele.

Aufruf:  python bench/abdeckung_zahlen.py [--haelfte kalibrierung|test|zurueckgehalten|nie_gesehen] [--alle]
         (--alle: jede Zeile einzeln, * = aus einem veröffentlichten Anteil; ohne --haelfte alle Gruppen getrennt und
          zuletzt „nie gesehen“)
"""

from __future__ import annotations

import hashlib  # noqa: E402
import statistics
import sys
from fractions import Fraction
from pathlib import Path

WURZEL = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(WURZEL))

import yaml  # noqa: E402

from engine.auswertung.bericht import erstelle_bericht  # noqa: E402
from engine.auswertung.referenz import ReferenzAuswerter  # noqa: E402
from engine.begriffe import Status  # noqa: E402
from engine.kommunen.daten import nach_ags  # noqa: E402
from engine.kommunen.profil import mit_eigenen_zahlen  # noqa: E402
from engine.regeln.basis import lade_regelbasis  # noqa: E402
from engine.regeln.logik import dnf  # noqa: E402

FIXTURE = WURZEL / "tests" / "fixtures" / "veroeffentlichte_zahlen.yaml"
DEFINITIONEN = ("melderegister", "azr", "fortschreibung", "sonstige")  # wahlberechtigte: keine Einwohnerzahl
ZAHLFELDER = ("auslaendische_einwohner", "auslaenderanteil")


def haelfte(ags: str) -> str:
    """Kalibrierung oder Test – festgelegt, bevor eine Zahl angesehen oder ein Parameter angepasst wurde (Issue 20):
    SHA-256 der AGS (wie im Profil: 8 Ziffern für Gemeinden und Bezirke, 5 für Kreise), gerade → Kalibrierung.
    Alle Zahlen eines Ortes liegen so in derselben Hälfte; die Testhälfte stimmt nie die Parameter."""
    return "kalibrierung" if int(hashlib.sha256(ags.encode("ascii")).hexdigest(), 16) % 2 == 0 else "test"


def gruppe(zeile: dict) -> str:
    """Kalibrierung | Test nach ``haelfte`` – außer für Zahlen, die nach der Festlegung der Parameter dazukamen: sie
    bleiben zurückgehalten, damit ein späterer Fund die festgelegten Parameter nicht stillschweigend verschiebt."""
    return "zurueckgehalten" if zeile.get("nach_festlegung") else haelfte(str(zeile["ags"]))


GRUPPEN = ("kalibrierung", "test", "zurueckgehalten")
NIE_GESEHEN = ("test", "zurueckgehalten")  # Zahlen, an denen kein Parameter eingestellt wurde
TITEL = {"kalibrierung": "Hälfte kalibrierung", "test": "Hälfte test",
         "zurueckgehalten": "Zurückgehalten (nach Festlegung der Parameter gefunden)",
         "nie_gesehen": "Nie gesehen (Testhälfte + zurückgehalten)",
         "test_alle": "Testhälfte nach AGS-Hash über alle Runden (ursprüngliche Testhälfte + zurückgehaltene ihrer AGS)"}


def zeilen() -> list[dict]:
    """Alle Einträge der Fixture (auch Wahlberechtigte, die ``bewertbar`` aussortiert)."""
    return yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))


def bewertbar(zeile: dict) -> bool:
    return zeile["definition"] in DEFINITIONEN


def _art(datensatz) -> str:
    if datensatz.art == "gemeinde" and datensatz.typ in ("kreisfreie_stadt", "stadtstaat"):
        return datensatz.typ
    return datensatz.art  # gemeinde | kreis | bezirk


def _zahlregeln(regelbasis) -> set[str]:
    """Regeln, deren Bedingung nach der Zahl oder dem Anteil ausländischer Einwohner fragt."""
    return {g.regel.id for g in regelbasis.regeln.values() for v in g.regel.versionen
            if v.bedingung is not None and any(lit.feld in ZAHLFELDER for k in dnf(v.bedingung) for lit in k)}


def _status(bericht, regeln: set[str]) -> dict[str, str]:
    """gilt | entfaellt | unbestimmt | gilt_nicht je Zahlregel des Landes."""
    status = {e.regel.id: e.status.value for e in bericht.ergebnisse if e.regel.id in regeln}
    for n in bericht.nicht_erfuellt:
        if n.regel.id in regeln:
            status.setdefault(n.regel.id, "gilt_nicht")
    return status


FEST = {"gilt", "gilt_nicht"}


def veroeffentlicht(zeile: dict, kommune) -> tuple[Fraction, Fraction, Fraction]:
    """Die veröffentlichte Zahl als (Punkt, untere, obere Grenze). Eine Zahl ist exakt; ein Anteil (``auslaenderanteil``,
    Text mit den veröffentlichten Nachkommastellen) steht für alles, was auf ihn gerundet wird (± eine halbe Stelle),
    mal den Einwohnern der Quelle (``einwohner``) – nennt sie keine, die Einwohnerspanne des Profils."""
    if "auslaendische_einwohner" in zeile:
        zahl = Fraction(zeile["auslaendische_einwohner"])
        return zahl, zahl, zahl
    text = str(zeile["auslaenderanteil"])
    anteil = Fraction(text) / 100
    halb = Fraction(1, 2 * 10 ** len(text.partition(".")[2])) / 100
    if zeile.get("einwohner"):
        e_von = e_bis = e = Fraction(zeile["einwohner"])
    else:
        (e_von, e_bis), e = kommune.spanne("einwohner"), Fraction(kommune.einwohner)
    return anteil * e, (anteil - halb) * e_von, (anteil + halb) * e_bis


def bewerte(zeile: dict, regelbasis, auswerter, zahlregeln: set[str] | None = None) -> dict:
    datensatz = nach_ags(str(zeile["ags"]))
    kommune = datensatz.profil(zeile["stichtag"])
    von, bis = kommune.spanne("auslaendische_einwohner")
    punkt, unten, oben = veroeffentlicht(zeile, kommune)
    zahl = round(punkt)
    mitte = kommune.auslaendische_einwohner
    regeln = zahlregeln if zahlregeln is not None else _zahlregeln(regelbasis)
    geschaetzt = _status(erstelle_bericht(kommune, zeile["stichtag"], regelbasis, auswerter), regeln)
    eigene = mit_eigenen_zahlen(kommune, None, min(zahl, kommune.einwohner))
    gemeldet = _status(erstelle_bericht(eigene, zeile["stichtag"], regelbasis, auswerter), regeln)
    kippt = sorted(r for r, s in geschaetzt.items() if s in FEST and gemeldet.get(r, "gilt_nicht") in FEST
                   and gemeldet.get(r, "gilt_nicht") != s)
    return {"drin": unten <= bis and von <= oben, "von": von, "bis": bis, "schaetzung": mitte, "zahl": zahl,
            "abweichung": (punkt - mitte) / max(mitte, 1), "unbestimmt": any(s == "unbestimmt" for s in geschaetzt.values()),
            "kippt": kippt, "art": _art(datensatz), "grund": kommune.unsicherheit.grund if kommune.unsicherheit else ""}


def auswertung(nur: str | None = None) -> list[tuple[dict, dict]]:
    """(Zeile, Bewertung) für alle bewertbaren Zeilen, wahlweise nur einer Gruppe."""
    regelbasis = lade_regelbasis()
    auswerter = ReferenzAuswerter(regelbasis)
    regeln = _zahlregeln(regelbasis)
    gruppen = NIE_GESEHEN if nur == "nie_gesehen" else (nur,)
    return [(z, bewerte(z, regelbasis, auswerter, regeln)) for z in zeilen()
            if bewertbar(z) and (nur is None or gruppe(z) in gruppen)]


def kennzahlen(paare: list[tuple[dict, dict]]) -> dict:
    n = len(paare)
    abw = [b["abweichung"] for _, b in paare]
    return {"n": n, "drin": sum(b["drin"] for _, b in paare),
            "median": statistics.median(abw) if abw else Fraction(0),
            "kippt": sum(bool(b["kippt"]) for _, b in paare)}


def _prozent(x: Fraction | float) -> str:
    return f"{float(x) * 100:+.1f} %".replace(".", ",")


def _zeile(titel: str, paare: list) -> str:
    k = kennzahlen(paare)
    if not k["n"]:
        return f"  {titel:<28} {0:>4}"
    anteil = f"{100 * k['drin'] / k['n']:.1f} %".replace(".", ",")
    return (f"  {titel:<28} {k['n']:>4}  {k['drin']:>4} in der Spanne ({anteil:>7})  Median-Abweichung "
            f"{_prozent(k['median']):>8}  kippt {k['kippt']}")


def bericht(paare: list[tuple[dict, dict]], titel: str) -> list[str]:
    zeilen_ = [f"{titel}:", _zeile("gesamt", paare)]
    if any(z.get("nach_festlegung") for z, _ in paare):  # zurückgehaltene Zahlen: in welche Hälfte ihre AGS fiele
        for h in ("kalibrierung", "test"):
            if not any(z.get("nach_festlegung") and haelfte(str(z["ags"])) == h for z, _ in paare):
                continue
            zeilen_.append(_zeile(f"zurückgeh., AGS-Hälfte {h[:5]}.", [(z, b) for z, b in paare if z.get("nach_festlegung")
                                                                     and haelfte(str(z["ags"])) == h]))
    for schluessel, name in (("definition", "Zählweise"), ("land", "Land"), ("art", "Art")):
        werte = sorted({(z if schluessel != "art" else b)[schluessel] for z, b in paare})
        for w in werte:
            zeilen_.append(_zeile(f"{name} {w}", [(z, b) for z, b in paare
                                                  if (z if schluessel != "art" else b)[schluessel] == w]))
    return zeilen_


def main() -> None:
    argumente = sys.argv[1:]
    nur = argumente[argumente.index("--haelfte") + 1] if "--haelfte" in argumente else None
    haelften = [nur] if nur else list(GRUPPEN)
    alle_paare = auswertung() if not nur else []
    for h in haelften:
        paare = [(z, b) for z, b in alle_paare if gruppe(z) == h] if alle_paare else auswertung(h)
        if "--alle" in argumente:
            for zeile, b in paare:
                marke = "drin" if b["drin"] else "DANEBEN"
                print(f"{marke:<8} {zeile['land']} {str(zeile['ags']):<8} {zeile['name'][:24]:<24} {zeile['stichtag']} "
                      f"{zeile['definition']:<14} veröffentlicht {b['zahl']:>7}{'*' if 'auslaenderanteil' in zeile else ' '} Schätzung "
                      f"{b['schaetzung']:>7} ({b['von']}–{b['bis']}) {_prozent(b['abweichung'])}"
                      + (f"  KIPPT {','.join(b['kippt'])}" if b["kippt"] else ""))
        print("\n".join(bericht(paare, TITEL[h])))
    if not nur:
        print("\n".join(bericht([(z, b) for z, b in alle_paare if gruppe(z) in NIE_GESEHEN], TITEL["nie_gesehen"])))
        print("\n".join(bericht(testhaelfte_alle(alle_paare), TITEL["test_alle"])))


def testhaelfte_alle(paare: list[tuple[dict, dict]]) -> list[tuple[dict, dict]]:
    """Die Testhälfte nach der vorab festgelegten Teilung (AGS-Hash) über alle Runden: die ursprüngliche Testhälfte und
    die später gefundenen Zahlen, deren AGS in sie fällt. Keine davon hat einen Parameter eingestellt."""
    return [(z, b) for z, b in paare if haelfte(str(z["ags"])) == "test"]


if __name__ == "__main__":
    main()
