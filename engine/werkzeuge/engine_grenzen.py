"""``regeln pruefen``, Teil Grenzen von durable-rules: Größe jedes kompilierten Regelsatzes und, im Kindprozess,
ob durable-rules ihn annimmt, auswertet oder daran hängt (``durable_probe.py``).
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

from engine.fehler import Fundstelle, Meldung
from engine.auswertung.kompilieren import epochen, kompiliere_land
from engine.regeln.basis import Regelbasis


MAX_DURABLE_REGELN = 500  # durable-rules: < 512 Geschwister an einem Alpha-Knoten

PROBE_SEKUNDEN = 60


def pruefe_engine_grenzen(regelbasis: Regelbasis, pfade: list[Path] | None,
                          szenario: list[Path] | None = None) -> tuple[list[Meldung], set[str]]:
    """Statisch: Regelsatzgröße je Land und Zeitabschnitt (die Länge von in-Listen begrenzt schon ``regeln.basis``). Dynamisch, im Kindprozess: jeden
    Regelsatz in durable-rules anlegen und an Prüfpunkten auswerten – was durable ablehnt, abstürzt oder hängt, ist
    ein Fehler mit Land und Grund (statt eines Absturzes von ``check``). Gibt auch die betroffenen Länder zurück."""
    meldungen = []
    laender: set[str] = set()
    for land in regelbasis.laender():
        erste = sorted(r.id for r in regelbasis.fuer_land(land))[0]
        stelle = regelbasis.regeln[erste].dokument.fundstelle(("id",))
        for beginn in epochen(regelbasis, land):
            satz = kompiliere_land(regelbasis, land, max(beginn, dt.date(1, 1, 2)))
            if satz.anzahl_regeln() > MAX_DURABLE_REGELN:
                meldungen.append(Meldung(
                    stelle, f"Der Regelsatz für {land} ab {beginn:%d.%m.%Y} hat {satz.anzahl_regeln()} durable-rules-Regeln; "
                    f"erlaubt sind höchstens {MAX_DURABLE_REGELN}.",
                    hinweis="Teilen Sie die Regeln auf oder fassen Sie gleichartige Fassungen zusammen."))
                laender.add(land)
    if not laender:
        befunde, laender = _probe(pfade, szenario, regelbasis)
        meldungen += befunde
    return meldungen, laender


def _probe(pfade: list[Path] | None, szenario: list[Path] | None = None,
           regelbasis: Regelbasis | None = None) -> tuple[list[Meldung], set[str]]:
    befehl = [sys.executable, "-m", "engine.werkzeuge.durable_probe", *[str(Path(p).resolve()) for p in (pfade or [])]]
    if szenario:
        befehl += ["--szenario", *[str(Path(p).resolve()) for p in szenario]]
    ort = Fundstelle(", ".join(str(p) for p in pfade) if pfade else "rules")
    try:
        lauf = subprocess.run(befehl, capture_output=True, text=True, timeout=PROBE_SEKUNDEN,
                              cwd=str(Path(__file__).resolve().parents[2]))
    except subprocess.TimeoutExpired as exc:
        zuletzt, land = _letzter_start(exc.stdout or "")
        return [Meldung(ort, f"durable-rules hängt beim Auswerten des Regelsatzes {zuletzt} (nach {PROBE_SEKUNDEN} s "
                        "abgebrochen).", hinweis="Vereinfachen Sie die Bedingungen dieses Landes (lange in-Listen, "
                        "viele gleichartige Regeln).")], ({land} if land else set())
    meldungen = []
    laender: set[str] = set()
    je_land: dict[tuple, Meldung] = {}  # ein Befund je Land und Kipp-Regel; weitere Zeitabschnitte werden gezählt
    weitere: dict[tuple, int] = {}
    for zeile in lauf.stdout.splitlines():
        try:
            eintrag = json.loads(zeile)
        except ValueError:
            continue
        if "befund" in eintrag:
            b = eintrag["befund"]
            schluessel = (b["land"], b.get("regel"), b["text"].split(" – ")[-1])
            if schluessel in je_land:
                weitere[schluessel] = weitere.get(schluessel, 0) + 1
                continue
            grund = b["text"].replace(" Prüfen Sie die Regeln mit „kommunalpflichten regeln pruefen“.", "")
            text = f"Regelsatz {b['land']} ab {_datum(b['beginn'])}: {grund}"
            stelle = ort
            if b.get("regel") and regelbasis is not None and b["regel"] in regelbasis.regeln:
                stelle = regelbasis.regeln[b["regel"]].dokument.fundstelle(("id",))
                text += (f" Der Regelsatz kippt mit der Regel „{b['regel']}“ ({b['position']}. von {b['von']} Regeln "
                         f"des Landes in Id-Reihenfolge): bis zur Regel davor wertet durable-rules ihn aus.")
            je_land[schluessel] = Meldung(stelle, text)
            meldungen.append(je_land[schluessel])
            laender.add(b["land"])
        elif "nicht_verfuegbar" in eintrag:
            meldungen.append(Meldung(ort, f"Grenzen von durable-rules nicht geprüft: {eintrag['nicht_verfuegbar']}.",
                                     schwere="warnung"))
    for schluessel, anzahl in weitere.items():
        je_land[schluessel].text += f" Ebenso in {anzahl} weiteren Zeitabschnitt{'en' if anzahl > 1 else ''}."
    if lauf.returncode != 0:
        signal = f"Signal {-lauf.returncode}" if lauf.returncode < 0 else f"Exit-Code {lauf.returncode}"
        zuletzt, land = _letzter_start(lauf.stdout)
        meldungen.append(Meldung(ort, f"durable-rules ist beim Prüfen des Regelsatzes {zuletzt} "
                                 f"abgestürzt ({signal}).", hinweis="Dieser Regelsatz würde auch „check“ abbrechen; "
                                 "vereinfachen Sie seine Bedingungen."))
        if land:
            laender.add(land)
    return meldungen, laender


def _letzter_start(ausgabe: str | bytes) -> tuple[str, str | None]:
    """Der zuletzt begonnene Regelsatz des Kindprozesses (für Hänger und Abstürze): Beschreibung und Land."""
    for zeile in reversed(ausgabe.splitlines() if isinstance(ausgabe, str) else ausgabe.decode().splitlines()):
        if '"start"' in zeile:
            start = json.loads(zeile)["start"]
            return f"{start['land']} ab {_datum(start['beginn'])}", start["land"]
    return "(unbekannt)", None


def _datum(iso: str) -> str:
    return dt.date.fromisoformat(iso).strftime("%d.%m.%Y")



__all__ = ["pruefe_engine_grenzen", "MAX_DURABLE_REGELN"]
