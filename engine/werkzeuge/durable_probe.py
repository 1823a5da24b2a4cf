"""Was ``regeln pruefen`` annimmt, muss ``check`` auswerten können: jeden Regelsatz im C-Kern von durable-rules
anlegen und an Prüfpunkten auswerten – in einem Kindprozess, damit ein Absturz oder Hänger von durable-rules nur
diesen Prozess trifft.

Aufruf (vom Elternprozess ``werkzeuge.pruefung``):  python -m engine.werkzeuge.durable_probe PFAD … [--szenario ORDNER …]
Ausgabe: eine JSON-Zeile je Schritt – ``{"start": …}`` vor jedem Regelsatz (so weiß der Elternprozess bei einem
Absturz, wo), ``{"befund": …}`` bei einem Fehler, ``{"fertig": …}`` am Ende.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import sys
from pathlib import Path

PRUEFPUNKTE_JE_REGELSATZ = 120


def _melde(**daten) -> None:
    print(json.dumps(daten, ensure_ascii=False, default=str), flush=True)


def _pruefpunkte(regelbasis, land: str, satz) -> list:
    """Kommunen an den Schwellen des Regelsatzes, je Kommunaltyp, mit Merkmalen alle nein / alle ja / abwechselnd."""
    from engine.begriffe import LAENDER
    from engine.felder import MERKMALE
    from engine.kommunen.profil import Kommune

    einwohner = sorted({1, 20_000, 100_000} | {max(1, w) for w in satz.grenzen.get("einwohner", ())})
    auslaender = sorted({0} | set(satz.grenzen.get("auslaendische_einwohner", ())))
    zahlmerkmale = {n: sorted({0} | set(satz.grenzen.get("m_" + n, ()))) for n, f in MERKMALE.items() if f.art == "zahl"}
    belegungen = []
    for i in range(3):
        merkmale = {}
        for j, (name, feld) in enumerate(MERKMALE.items()):
            if feld.art == "wahrheitswert":
                merkmale[name] = (i == 1) or (i == 2 and j % 2 == 0)
            else:
                werte = zahlmerkmale[name]
                merkmale[name] = werte[-1] if i == 1 else werte[len(werte) // 2] if i == 2 else 0
        belegungen.append(merkmale)
    punkte = []
    typen = LAENDER[land].typen if land in LAENDER else ()
    kombinationen = list(itertools.product(typen, einwohner, auslaender, range(len(belegungen))))
    schritt = max(1, len(kombinationen) // PRUEFPUNKTE_JE_REGELSATZ)
    for typ, e, a, b in kombinationen[::schritt]:
        if a > e:
            a = e
        punkte.append(Kommune(name="Prüfpunkt", land=land, typ=typ, einwohner=e, auslaendische_einwohner=a,
                              merkmale=belegungen[b]))
    return punkte


def _auswertbar(regelbasis, land: str, tag: dt.date) -> bool | None:
    """Wertet durable-rules diesen Regelsatz an allen Prüfpunkten aus? ``None``: nicht beurteilbar (Teilmenge mit
    fehlendem Bezug)."""
    from engine.auswertung.durable import DurableAuswerter
    from engine.fehler import EngineFehler

    auswerter = DurableAuswerter(regelbasis)
    try:
        satz = auswerter.regelsatz(land, tag)
        for kommune in _pruefpunkte(regelbasis, land, satz):
            auswerter.inferiere(kommune, tag)
        return True
    except EngineFehler:
        return False
    except Exception:  # noqa: BLE001 - eine Teilmenge ohne Ausnahmeziel o. Ä.: kein Urteil
        return None
    finally:
        auswerter.schliessen()


def _kipp_regel(regelbasis, land: str, tag: dt.date) -> dict:
    """Welche Regel den Regelsatz kippen lässt: die Regeln des Landes in Id-Reihenfolge, durch Halbieren die kürzeste
    Anfangsfolge, die durable-rules nicht mehr auswertet; deren letzte Regel wird genannt (bei Fehler 303 „zu viele
    gleichzeitig passende Bedingungen“ die Regel, mit der es eine zu viel wird). Höchstens ~10 Registrierungen."""
    from engine.regeln.basis import Regelbasis

    eigene = sorted(rid for rid, g in regelbasis.regeln.items() if g.regel.land == land)
    andere = {rid: g for rid, g in regelbasis.regeln.items() if g.regel.land != land}

    def scheitert(k: int) -> bool:
        teil = dict(andere, **{rid: regelbasis.regeln[rid] for rid in eigene[:k]})
        return _auswertbar(Regelbasis(teil, f"{regelbasis.fingerabdruck}k{k}"), land, tag) is False

    unten, oben = 0, len(eigene)  # scheitert(oben) ist bekannt
    while oben - unten > 1:
        mitte = (unten + oben) // 2
        if scheitert(mitte):
            oben = mitte
        else:
            unten = mitte
    if not eigene or scheitert(oben - 1) or not scheitert(oben):
        return {}  # keine eindeutige Kipp-Regel (nicht monoton)
    return {"regel": eigene[oben - 1], "position": oben, "von": len(eigene)}


def main(argv: list[str]) -> int:
    from engine.auswertung.durable import DurableAuswerter, verfuegbar
    from engine.auswertung.kompilieren import epochen
    from engine.fehler import EngineFehler
    from engine.regeln.basis import lade_regelbasis

    ok, grund = verfuegbar()
    if not ok:
        _melde(nicht_verfuegbar=grund)
        return 0
    pfade, szenario = (argv[:argv.index("--szenario")], argv[argv.index("--szenario") + 1:]) \
        if "--szenario" in argv else (argv, [])
    regelbasis = lade_regelbasis([Path(p) for p in pfade] or None, szenario=[Path(p) for p in szenario] or None)
    auswerter = DurableAuswerter(regelbasis)
    anzahl = 0
    for land in regelbasis.laender():
        for beginn in epochen(regelbasis, land):
            tag = max(beginn, dt.date(1, 1, 2))
            _melde(start={"land": land, "beginn": beginn.isoformat()})
            try:
                satz = auswerter.regelsatz(land, tag)
                for kommune in _pruefpunkte(regelbasis, land, satz):
                    auswerter.inferiere(kommune, tag)
                anzahl += 1
            except EngineFehler as exc:
                _melde(befund={"land": land, "beginn": beginn.isoformat(), "text": str(exc),
                               **_kipp_regel(regelbasis, land, tag)})
    _melde(fertig=anzahl)
    return 0


if __name__ == "__main__":  # pragma: no cover - läuft im Kindprozess
    sys.exit(main(sys.argv[1:]))
