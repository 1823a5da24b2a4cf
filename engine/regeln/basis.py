"""Regeldateien laden und als Ganzes prüfen: Form, Felder, Verweise, Zyklen, Zeitachsen (die Prüfungen der Regeln
untereinander stehen in ``regelpruefung.py``).

Ergebnis ist eine unveränderliche ``Regelbasis``. Jede Unstimmigkeit wird als ``Meldung`` mit Datei,
Zeile und Feld gesammelt; ausgewertet wird nur eine fehlerfreie Regelbasis.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from engine.begriffe import BUND, LAENDER
from engine.fehler import EingabeFehler, Fundstelle, Meldung
from engine.regeln import zwischenspeicher
from engine.regeln.modell import Regel, ersetzt
from engine.regeln.regelpruefung import GeladeneRegel, abhaengigkeiten, pruefe_regel, pruefe_zyklen, regelbezuege
from engine.yamlquelle import Dokument, lese_datei

SZENARIO_ORDNER = "szenarien"  # rules/szenarien/<name>/: Entwürfe, nur mit --szenario geladen

LAND_ORDNER = {
    "baden-wuerttemberg": "BW",
    "bayern": "BY",
    "berlin": "BE",
    "brandenburg": "BB",
    "bremen": "HB",
    "hamburg": "HH",
    "hessen": "HE",
    "mecklenburg-vorpommern": "MV",
    "niedersachsen": "NI",
    "nordrhein-westfalen": "NW",
    "rheinland-pfalz": "RP",
    "saarland": "SL",
    "sachsen": "SN",
    "sachsen-anhalt": "ST",
    "schleswig-holstein": "SH",
    "thueringen": "TH",
    "bund": "DE",
}


@dataclass
class Regelbasis:
    regeln: dict[str, GeladeneRegel]
    fingerabdruck: str
    warnungen: list[Meldung] = field(default_factory=list)

    def fuer_land(self, land: str) -> list[Regel]:
        """Die Regeln, die in diesem Land gelten: die des Landes und die des Bundes."""
        cache = self.__dict__.setdefault("_je_land", {})
        if land not in cache:
            cache[land] = tuple(g.regel for g in self.regeln.values() if g.regel.land in (land, BUND))
        return list(cache[land])

    def fuer_land_sortiert(self, land: str) -> tuple[Regel, ...]:
        """``fuer_land`` nach Kennung sortiert, je Land einmal (Berichte fragen je Kommune danach)."""
        cache = self.__dict__.setdefault("_je_land_sortiert", {})
        if land not in cache:
            cache[land] = tuple(sorted(self.fuer_land(land), key=lambda r: r.id))
        return cache[land]

    def regel(self, regel_id: str) -> Regel:
        return self.regeln[regel_id].regel

    def ausnahmen_zu(self, regel_id: str) -> list[Regel]:
        index = self.__dict__.get("_ausnahmen")
        if index is None:
            index = self.__dict__["_ausnahmen"] = {}
            for g in self.regeln.values():
                for ziel in g.regel.ausnahme_zu:
                    index.setdefault(ziel, []).append(g.regel)
        return list(index.get(regel_id, ()))

    def schlank(self) -> "Regelbasis":
        """Dieselbe Regelbasis ohne die Rohdaten und Positionen der Dateien (für den Zwischenspeicher; Positionen
        braucht nur ``regeln pruefen``, und das prüft immer frisch)."""
        regeln = {rid: GeladeneRegel(g.regel, Dokument(g.dokument.datei, None, {})) for rid, g in self.regeln.items()}
        return Regelbasis(regeln, self.fingerabdruck, list(self.warnungen))

    def laender(self) -> list[str]:
        """Länder mit eigenen Regeln; gibt es Bundesregeln, gelten sie in allen Ländern."""
        codes = {g.regel.land for g in self.regeln.values()}
        if BUND in codes:
            return sorted(LAENDER)
        return sorted(codes)


def standard_regelverzeichnis() -> Path:
    """Die mitgelieferten Regeln; funktioniert im Quellbaum und nach ``pip install .``."""
    return Path(str(resources.files("rules")))


def regeldateien(pfade: list[Path]) -> list[Path]:
    """Alle Regeldateien unter den Pfaden (wie ``sorted(pfad.rglob("*.yaml"))``, mit ``os.walk`` – bei jedem Kaltstart
    gebraucht); Testfälle (Ordner ``tests``) und Szenarien gehören nicht dazu."""
    import os

    dateien: list[Path] = []
    for pfad in pfade:
        if not pfad.is_dir():
            dateien.append(pfad)
            continue
        gefunden = []
        for ordner, unterordner, namen in os.walk(pfad):
            gefunden += [os.path.join(ordner, n) for n in namen + unterordner if n.endswith(".yaml")]
            unterordner[:] = [u for u in unterordner if u not in ("tests", SZENARIO_ORDNER)]
        dateien += sorted((Path(d) for d in gefunden), key=lambda d: d.parts)
    return dateien


def _ist_regelbasis(gespeichert) -> bool:
    """Ein Eintrag des Zwischenspeichers ist nur brauchbar, wenn er eine Regelbasis aus Regeln ist."""
    return isinstance(gespeichert, Regelbasis) and all(isinstance(g.regel, Regel) for g in gespeichert.regeln.values())


def lade_regelbasis(pfade: list[Path] | Path | None = None, szenario: list[Path] | None = None) -> Regelbasis:
    """Regeln laden und prüfen; bei Fehlern ``EingabeFehler`` mit allen Meldungen. Eine schon geprüfte Regelbasis mit
    demselben Inhalt kommt aus dem Zwischenspeicher (``zwischenspeicher.py``). Mit ``szenario``: die Regeln dieser
    Ordner über die Regelbasis gelegt (siehe ``sammle_regelbasis``), ohne Zwischenspeicher."""
    liste = _pfadliste(pfade)
    if szenario:
        regelbasis, meldungen = sammle_regelbasis(liste, szenario)
        fehler = [m for m in meldungen if m.schwere == "fehler"]
        if fehler or regelbasis is None:
            raise EingabeFehler(fehler)
        return regelbasis
    schluessel, dateien = None, []
    if all(p.exists() for p in liste):
        dateien = regeldateien(liste)
        gespeichert, schluessel = zwischenspeicher.finde(dateien, _ist_regelbasis)
        if gespeichert is not None:
            return gespeichert
    regelbasis, meldungen = sammle_regelbasis(liste)
    fehler = [m for m in meldungen if m.schwere == "fehler"]
    if fehler or regelbasis is None:
        raise EingabeFehler(fehler)
    if schluessel is not None:
        zwischenspeicher.speichere(dateien, schluessel, regelbasis.schlank())
    return regelbasis


def _lies_regel(datei: Path, meldungen: list[Meldung]) -> tuple[Regel, Dokument] | None:
    """Eine Regeldatei lesen und gegen das Modell prüfen; Befunde landen in ``meldungen``."""
    from engine.regeln import format as regelformat  # pydantic nur beim Prüfen, nie beim Kaltstart aus dem Speicher
    from engine.validierung import validiere

    try:
        dokument = lese_datei(datei)
        return regelformat.in_laufzeit(validiere(regelformat.Regel, dokument)), dokument
    except EingabeFehler as fehler:
        meldungen.extend(fehler.meldungen)
        return None


def _ueberlagert(geltend: GeladeneRegel | None, entwurf: Regel) -> Regel:
    """Eine Szenario-Regel mit der id einer geltenden Regel ersetzt sie ab ihrem ersten ``gueltig_ab``; die geltenden
    Fassungen davor bleiben (und enden spätestens am Vortag)."""
    if geltend is None:
        return entwurf
    beginn = entwurf.versionen[0].gueltig_ab
    frueher = []
    for v in geltend.regel.versionen:
        if v.gueltig_ab >= beginn:
            break
        ende = beginn - dt.timedelta(days=1)
        frueher.append(v if v.gueltig_bis is not None and v.gueltig_bis <= ende else ersetzt(v, gueltig_bis=ende))
    return ersetzt(entwurf, versionen=frueher + list(entwurf.versionen),
                   abdeckung_ab=geltend.regel.abdeckung_ab if frueher else entwurf.abdeckung_ab)


def _pfadliste(pfade: list[Path] | Path | None) -> list[Path]:
    if pfade is None:
        return [standard_regelverzeichnis()]
    return [pfade] if isinstance(pfade, Path) else list(pfade)


def sammle_regelbasis(pfade: list[Path] | Path | None = None, szenario: list[Path] | None = None
                      ) -> tuple[Regelbasis | None, list[Meldung]]:
    """Regeln laden und alle Befunde sammeln; die Regelbasis ist ``None``, wenn ein Fehler darunter ist.

    ``szenario``: Ordner mit Entwürfen (``entwurf: true``), die über die Regelbasis gelegt werden – eine Regel mit
    derselben id ersetzt die geltende ab dem Beginn ihrer ersten Fassung (frühere Fassungen bleiben), neue ids kommen
    hinzu. Ein Entwurf in der Regelbasis selbst ist ein Fehler: Szenarien sickern nie in ein normales ``check``."""
    pfade = _pfadliste(pfade)
    meldungen: list[Meldung] = []
    geladen: dict[str, GeladeneRegel] = {}
    fehlende = [p for p in [*pfade, *(szenario or [])] if not p.exists()]
    if fehlende:
        return None, [Meldung(Fundstelle(str(p)), "Der Pfad existiert nicht.") for p in fehlende]
    dateien = regeldateien(pfade)
    if not dateien:
        return None, [Meldung(Fundstelle(", ".join(map(str, pfade))), "Keine Regeldateien (*.yaml) gefunden.")]
    hasher = hashlib.sha256()
    for datei in dateien:
        gelesen = _lies_regel(datei, meldungen)
        if gelesen is None:
            continue
        regel, dokument = gelesen
        hasher.update(datei.read_bytes())
        if regel.id in geladen:
            erste = geladen[regel.id]
            meldungen.append(
                Meldung(
                    dokument.fundstelle(("id",), "id"),
                    f"Die id „{regel.id}“ ist schon in {erste.datei} vergeben.",
                    hinweis="Jede Regel braucht eine eigene, dauerhaft eindeutige id.",
                )
            )
            continue
        ordner_land = LAND_ORDNER.get(datei.parent.name)
        if ordner_land and ordner_land != regel.land:
            meldungen.append(
                Meldung(
                    dokument.fundstelle(("land",), "land"),
                    f"Die Datei liegt im Ordner „{datei.parent.name}“ ({ordner_land}), die Regel nennt aber land: {regel.land}.",
                )
            )
        if regel.entwurf:
            meldungen.append(Meldung(dokument.fundstelle(("entwurf",), "entwurf"),
                                     "Ein Entwurf (entwurf: true) gehört in einen Szenario-Ordner, nicht in die "
                                     "Regelbasis.", hinweis="Legen Sie die Datei unter rules/szenarien/<name>/ ab und "
                                     "werten Sie sie mit --szenario aus."))
            continue
        geladen[regel.id] = GeladeneRegel(regel, dokument)
    im_szenario: dict[str, str] = {}
    for datei in regeldateien(list(szenario or [])):
        gelesen = _lies_regel(datei, meldungen)
        if gelesen is None:
            continue
        regel, dokument = gelesen
        hasher.update(b"szenario:" + datei.read_bytes())
        if not regel.entwurf:
            meldungen.append(Meldung(dokument.fundstelle(("id",), "entwurf"),
                                     "Eine Szenario-Regel braucht entwurf: true (sie ist kein geltendes Recht).",
                                     hinweis="Ergänzen Sie „entwurf: true“ und den Abschnitt szenario."))
            continue
        if regel.id in im_szenario:
            meldungen.append(Meldung(dokument.fundstelle(("id",), "id"),
                                     f"Die id „{regel.id}“ ist im Szenario schon in {im_szenario[regel.id]} vergeben."))
            continue
        im_szenario[regel.id] = dokument.datei
        geladen[regel.id] = GeladeneRegel(_ueberlagert(geladen.get(regel.id), regel), dokument)
    for geladene in geladen.values():
        meldungen.extend(pruefe_regel(geladene, geladen))
    meldungen.extend(pruefe_zyklen(geladen))
    if any(m.schwere == "fehler" for m in meldungen):
        return None, meldungen
    return Regelbasis(geladen, hasher.hexdigest()[:12], [m for m in meldungen if m.schwere != "fehler"]), meldungen


__all__ = ["Regelbasis", "GeladeneRegel", "lade_regelbasis", "sammle_regelbasis", "regeldateien",
           "standard_regelverzeichnis", "regelbezuege", "abhaengigkeiten", "pruefe_regel", "LAND_ORDNER",
           "SZENARIO_ORDNER"]
