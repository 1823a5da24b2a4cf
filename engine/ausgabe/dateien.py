"""Ergebnisdateien der Massenauswertung schreiben – atomar: erst eine temporäre Datei, dann umbenennen.

Bricht die Auswertung ab, bleibt keine halb geschriebene Datei zurück.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import tempfile
from pathlib import Path

from engine.auswertung.betraege import berechne
from engine.fehler import EingabeFehler, Fundstelle, Meldung
from engine.auswertung.massen import Zeile
from engine.regeln.basis import Regelbasis

CSV_SPALTEN = ["ags", "name", "land", "typ", "einwohner", "auslaendische_einwohner", "auslaender_von", "auslaender_bis",
               "regel", "art", "gegenstand", "verbindlichkeit", "status", "norm", "hoechstbetrag_jahr", "stichtag"]


class ErgebnisSchreiber:
    def __init__(self, ziel: Path, regelbasis: Regelbasis, stichtag: dt.date):
        self.ziel = ziel
        self.regelbasis = regelbasis
        self.stichtag = stichtag
        self._datei = None
        self._tmp: str | None = None

    def __enter__(self) -> "ErgebnisSchreiber":
        ordner = self.ziel.resolve().parent
        if not ordner.is_dir():
            raise EingabeFehler([Meldung(Fundstelle(str(self.ziel)), "Das Verzeichnis der Ausgabedatei existiert nicht.")])
        fd, self._tmp = tempfile.mkstemp(prefix=f".{self.ziel.name}.", dir=ordner)
        self._datei = os.fdopen(fd, "w", encoding="utf-8", newline="")
        if self.ziel.suffix == ".csv":
            self._csv = csv.writer(self._datei)
            self._csv.writerow(CSV_SPALTEN)
        return self

    def schreibe(self, zeile: Zeile) -> None:
        k = zeile.kommune
        a_von, a_bis = k.spanne("auslaendische_einwohner")
        ergebnisse = []
        for rid, status, index in zeile.ergebnisse:
            regel = self.regelbasis.regel(rid)
            betrag = None
            if regel.foerderung is not None:
                betrag = berechne(regel.foerderung, k, self.stichtag).hoechstbetrag_jahr
            ergebnisse.append({"regel": rid, "art": regel.art.value, "gegenstand": regel.gegenstand,
                               "verbindlichkeit": regel.verbindlichkeit.value if regel.verbindlichkeit else "", "status": status.value,
                               "norm": regel.versionen[index].zitat.norm, "hoechstbetrag_jahr": betrag})
        if self.ziel.suffix == ".csv":
            for e in ergebnisse:
                self._csv.writerow([k.ags, k.name, k.land, k.typ, k.einwohner, k.auslaendische_einwohner, a_von, a_bis,
                                    e["regel"], e["art"], e["gegenstand"], e["verbindlichkeit"], e["status"], e["norm"],
                                    "" if e["hoechstbetrag_jahr"] is None else e["hoechstbetrag_jahr"],
                                    self.stichtag.isoformat()])
        else:
            self._datei.write(json.dumps({
                "ags": k.ags, "name": k.name, "land": k.land, "typ": k.typ, "einwohner": k.einwohner,
                "auslaendische_einwohner": {"schaetzung": k.auslaendische_einwohner, "von": a_von, "bis": a_bis},
                "stichtag": self.stichtag.isoformat(), "ergebnisse": ergebnisse}, ensure_ascii=False) + "\n")

    def __exit__(self, art, wert, tb) -> None:
        self._datei.close()
        if art is None:
            os.replace(self._tmp, self.ziel)
        else:
            os.unlink(self._tmp)
