"""Ein vorausgefülltes, kommentiertes Profil (``check --als-profil``): Zahlen und Quelle der Kommune, dazu jedes
Merkmal, nach dem die Regeln ihres Landes und Typs fragen – mit Frage und Norm. Die Nutzerin trägt ein, was sie weiß,
und prüft die Datei erneut mit ``kommunalpflichten check DATEI``."""

from __future__ import annotations

import datetime as dt
import json

from engine.auswertung.varianten import struktur
from engine.begriffe import konkrete_typen
from engine.felder import FELDER
from engine.kommunen.profil import Kommune, merkmal_text
from engine.regeln.basis import Regelbasis
from engine.regeln.logik import dnf
from engine.zahlen import sichtbar


def _normen_je_merkmal(regelbasis: Regelbasis, land: str, typ: str) -> dict[str, list[str]]:
    normen: dict[str, list[str]] = {}
    for regel in regelbasis.fuer_land(land):
        if typ not in konkrete_typen(regel.typen):
            continue
        for v in regel.versionen:
            for konj in dnf(v.bedingung):
                for lit in konj:
                    if lit.feld in FELDER and FELDER[lit.feld].merkmal and v.zitat.norm not in normen.get(lit.feld, []):
                        normen.setdefault(lit.feld, []).append(v.zitat.norm)
    return normen


def _yaml_text(wert: str) -> str:
    # JSON-Zeichenketten sind gültiges YAML; Steuerzeichen als \\uXXXX (ein YAML-Escape in doppelten Anführungszeichen)
    return sichtbar(json.dumps(wert, ensure_ascii=False))


def profilvorlage(kommune: Kommune, regelbasis: Regelbasis) -> str:
    s = struktur(regelbasis, kommune.land, kommune.typ)
    normen = _normen_je_merkmal(regelbasis, kommune.land, kommune.typ)
    z = [f"# Profil für kommunalpflichten – erzeugt am {dt.date.today():%d.%m.%Y}. Bearbeiten, dann prüfen mit:",
         "#   kommunalpflichten check DIESE_DATEI.yaml",
         "# Zahlen: eigene Zahlen (Melderegister) eintragen, wo bekannt; die Gesetze zählen meist gemeldete Einwohner.",
         f"name: {_yaml_text(kommune.name)}"]
    if kommune.ags:
        z.append(f'ags: "{kommune.ags}"')
    z += [f"land: {kommune.land}", f"typ: {kommune.typ}"]
    for feld in ("einwohner", "auslaendische_einwohner"):
        von, bis = kommune.spanne(feld)
        kommentar = f"  # Schätzung; Spanne {von} bis {bis}" if von != bis else ""
        z.append(f"{feld}: {getattr(kommune, feld)}{kommentar}")
    if kommune.auslaendische_einwohner_zaehlweise or kommune.auslaendische_einwohner_stand:
        if kommune.auslaendische_einwohner_zaehlweise:
            z.append(f"auslaendische_einwohner_zaehlweise: {kommune.auslaendische_einwohner_zaehlweise}")
        if kommune.auslaendische_einwohner_stand:
            z.append(f"auslaendische_einwohner_stand: {kommune.auslaendische_einwohner_stand.isoformat()}")
    else:
        z += ["# auslaendische_einwohner_zaehlweise: melderegister  # eigene Zahl: melderegister, azr, fortschreibung, "
              "sonstige", "# auslaendische_einwohner_stand: 2025-06-30        # Stichtag der eigenen Zahl"]
    if kommune.unsicherheit is not None:
        z += ["unsicherheit:  # löschen, sobald die Zahlen oben exakt sind (z. B. aus dem Melderegister)"]
        for feld in ("einwohner", "auslaendische_einwohner"):
            von, bis = kommune.spanne(feld)
            z.append(f"  {feld}: {{von: {von}, bis: {bis}}}")
        z.append(f"  grund: {_yaml_text(kommune.unsicherheit.grund)}")
    if kommune.quelle:
        z.append(f"quelle: {_yaml_text(kommune.quelle)}")
    if kommune.kreis:
        z.append(f"kreis: {_yaml_text(kommune.kreis)}")
    if s.werte:
        z.append("merkmale:  # ja | nein | unbekannt (bei Anzahlen: eine Zahl oder unbekannt)")
        for name in s.werte:
            feld = FELDER[name]
            z.append(f"  # {feld.frage}")
            if normen.get(name):
                z.append(f"  #   gefragt von: {', '.join(normen[name])}")
            if name in kommune.merkmal_quellen:
                z.append(f"  #   belegt: {kommune.merkmal_quellen[name]}")
            z.append(f"  {name}: {merkmal_text(kommune.merkmal(name))}")
    else:
        z.append("# Die Regeln dieses Landes fragen für diesen Kommunaltyp nach keinem weiteren Merkmal.")
    return "\n".join(z) + "\n"


__all__ = ["profilvorlage"]
