"""Regeltests in YAML, geschrieben von Rechtsberatern neben den Regeln (``rules/<land>/tests/*.yaml``).

Ein Testfall nennt ein Profil (inline oder als Name eines Beispiels aus ``kommunen_examples``), einen Stichtag
und die erwarteten Ergebnisse. ``regeln testen`` und pytest führen dieselben Dateien aus, über durable-rules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictStr, ValidationError, model_validator

from engine.auswertung.bericht import Auswerter, erstelle_bericht, vorbehalt_text
from engine.begriffe import Art, Status, Verbindlichkeit
from engine.fehler import EingabeFehler, Fundstelle, Meldung
from engine.kommunen.profil import Kommune, lade_profil
from engine.regeln.basis import Regelbasis
from engine.validierung import deutsche_meldungen, validiere
from engine.yamlquelle import Dokument, lese_datei
from engine.zahlen import sichtbar


class Erwartung(BaseModel):
    model_config = ConfigDict(extra="forbid")

    regel: StrictStr
    art: Art | None = None
    verbindlichkeit: Verbindlichkeit | None = None
    status: Status | None = None
    norm: StrictStr | None = Field(None, description="erwartete zitierte Norm, z. B. „§ 84 Satz 1 HGO“")
    begruendung_enthaelt: list[StrictStr] = Field(default_factory=list)
    vorbehalt_enthaelt: list[StrictStr] = Field(
        default_factory=list, description="Textteile, die in den Vorbehalten des Ergebnisses stehen müssen "
                                          "(„Norm nicht ermittelt“, „sofern nicht die Ausnahme greift“ …)")
    ohne_vorbehalt: bool = Field(False, description="das Ergebnis darf keinen Vorbehalt tragen")

    @model_validator(mode="after")
    def _vorbehalt_eindeutig(self) -> "Erwartung":
        if self.ohne_vorbehalt and self.vorbehalt_enthaelt:
            raise ValueError("die Felder ohne_vorbehalt und vorbehalt_enthaelt schließen einander aus – nur eines angeben")
        return self


class Testfall(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: StrictStr
    stichtag: dt.date
    profil: dict[str, Any] | None = None
    beispiel: StrictStr | None = Field(None, description="Dateiname (ohne .yaml) eines Profils in kommunen_examples")
    erwartet: list[Erwartung] = Field(default_factory=list)
    nicht_erwartet: list[StrictStr] = Field(default_factory=list, description="Regeln, die nicht erscheinen dürfen")

    @model_validator(mode="after")
    def _profil_oder_beispiel(self) -> "Testfall":
        if (self.profil is None) == (self.beispiel is None):
            raise ValueError("ein Testfall braucht genau eines von profil und beispiel")
        if not self.erwartet and not self.nicht_erwartet:
            raise ValueError("ein Testfall braucht erwartet oder nicht_erwartet")
        return self


class Testdatei(BaseModel):
    model_config = ConfigDict(extra="forbid")

    faelle: list[Testfall] = Field(min_length=1)


@dataclass
class Fallergebnis:
    datei: str
    zeile: int
    name: str
    abweichungen: list[str] = field(default_factory=list)

    @property
    def bestanden(self) -> bool:
        return not self.abweichungen


def testdateien(pfade: list[Path]) -> list[Path]:
    dateien = []
    for pfad in pfade:
        if pfad.is_file():
            dateien.append(pfad)
        else:
            dateien += sorted(p for p in pfad.rglob("*.yaml") if "tests" in p.relative_to(pfad).parts[:-1] or pfad.name == "tests")
    return dateien


def beispielverzeichnis() -> Path:
    return Path(str(resources.files("kommunen_examples")))


def lade_testdatei(pfad: Path) -> tuple[Testdatei, Dokument]:
    dokument = lese_datei(pfad)
    return validiere(Testdatei, dokument), dokument


def _profil(fall: Testfall, dokument: Dokument, index: int) -> Kommune:
    if fall.beispiel is not None:
        name = fall.beispiel
        if not name or Path(name).name != name or name.startswith(".") or "\\" in name:
            raise EingabeFehler([Meldung(dokument.fundstelle(("faelle", index, "beispiel")),
                                         f"„{sichtbar(name)}“ ist kein Beispielname: erlaubt ist nur ein Dateiname aus "
                                         "kommunen_examples ohne Verzeichnis und ohne .yaml.")])
        pfad = beispielverzeichnis() / f"{name}.yaml"
        if not pfad.is_file():
            raise EingabeFehler([Meldung(dokument.fundstelle(("faelle", index, "beispiel")),
                                         f"Das Beispiel „{fall.beispiel}“ gibt es nicht in kommunen_examples.")])
        return lade_profil(pfad)
    daten = dict(fall.profil)
    daten.setdefault("name", fall.name)
    try:
        from engine.kommunen import profilformat

        return profilformat.in_laufzeit(profilformat.Kommune.model_validate(daten))
    except ValidationError as exc:
        raise EingabeFehler([Meldung(dokument.fundstelle(("faelle", index, "profil")),
                                     f"Ungültiges Profil im Testfall „{sichtbar(fall.name)}“: {m}")
                             for m in deutsche_meldungen(exc)]) from None
    except ValueError as exc:
        raise EingabeFehler([Meldung(dokument.fundstelle(("faelle", index, "profil")),
                                     f"Ungültiges Profil im Testfall „{sichtbar(fall.name)}“: {exc}")]) from None


def fuehre_aus(pfad: Path, regelbasis: Regelbasis, auswerter: Auswerter) -> list[Fallergebnis]:
    testdatei, dokument = lade_testdatei(pfad)
    ergebnisse = []
    for index, fall in enumerate(testdatei.faelle):
        zeile = dokument.positionen.get(("faelle", index), (1, 1))[0]
        kommune = _profil(fall, dokument, index)
        bericht = erstelle_bericht(kommune, fall.stichtag, regelbasis, auswerter)
        gefunden = {e.regel.id: e for e in bericht.ergebnisse}
        ergebnis = Fallergebnis(str(pfad), zeile, fall.name)
        for erwartung in fall.erwartet:
            if erwartung.regel not in regelbasis.regeln:
                ergebnis.abweichungen.append(f"Regel „{erwartung.regel}“ gibt es nicht.")
                continue
            e = gefunden.get(erwartung.regel)
            if e is None:
                ergebnis.abweichungen.append(f"erwartet: {erwartung.regel} – kam nicht im Ergebnis vor.")
                continue
            if erwartung.art and e.regel.art != erwartung.art:
                ergebnis.abweichungen.append(
                    f"{erwartung.regel}: Art erwartet {erwartung.art.value}, erhalten {e.regel.art.value}.")
            if erwartung.verbindlichkeit and e.regel.verbindlichkeit != erwartung.verbindlichkeit:
                erhalten = e.regel.verbindlichkeit.value if e.regel.verbindlichkeit else "keine (Hinweis)"
                ergebnis.abweichungen.append(
                    f"{erwartung.regel}: Verbindlichkeit erwartet {erwartung.verbindlichkeit.value}, erhalten {erhalten}.")
            if erwartung.status and e.status != erwartung.status:
                ergebnis.abweichungen.append(
                    f"{erwartung.regel}: Status erwartet {erwartung.status.value}, erhalten {e.status.value}.")
            if erwartung.norm and e.version.zitat.norm != erwartung.norm:
                ergebnis.abweichungen.append(
                    f"{erwartung.regel}: Norm erwartet „{erwartung.norm}“, erhalten „{e.version.zitat.norm}“.")
            text = " | ".join(e.begruendung + [z for a in e.ausnahmen for z in a.begruendung])
            for teil in erwartung.begruendung_enthaelt:
                if teil not in text:
                    ergebnis.abweichungen.append(f"{erwartung.regel}: Begründung enthält nicht „{teil}“ (sondern: {text}).")
            _pruefe_vorbehalte(erwartung, e, bericht, ergebnis)
        for regel_id in fall.nicht_erwartet:
            if regel_id in gefunden:
                ergebnis.abweichungen.append(f"nicht erwartet: {regel_id} – kam aber im Ergebnis vor "
                                             f"({gefunden[regel_id].status.value}).")
        ergebnisse.append(ergebnis)
    return ergebnisse


def _pruefe_vorbehalte(erwartung: Erwartung, e, bericht, ergebnis: Fallergebnis) -> None:
    """Vorbehalte sind Teil der Rechtsaussage (eine Pflicht ohne ermittelte Norm, eine Ausnahme mit offener
    Voraussetzung): ein Regeltest kann sie verlangen oder ausschließen – mit denselben Texten wie jede Ausgabe."""
    if not erwartung.vorbehalt_enthaelt and not erwartung.ohne_vorbehalt:
        return
    texte = ([e.norm_vorbehalt] if e.norm_vorbehalt else []) + [vorbehalt_text(bericht, v) for v in e.vorbehalte]
    if erwartung.ohne_vorbehalt and texte:
        ergebnis.abweichungen.append(f"{erwartung.regel}: kein Vorbehalt erwartet, erhalten: {' | '.join(texte)}.")
    alle = " | ".join(texte)
    for teil in erwartung.vorbehalt_enthaelt:
        if teil not in alle:
            ergebnis.abweichungen.append(f"{erwartung.regel}: Vorbehalt enthält nicht „{teil}“ "
                                         f"(sondern: {alle or 'kein Vorbehalt'}).")


def bericht_text(ergebnisse: list[Fallergebnis]) -> str:
    zeilen = []
    for e in ergebnisse:
        if e.bestanden:
            zeilen.append(f"ok      {e.datei}:{e.zeile}: {e.name}")
        else:
            zeilen.append(f"FEHLER  {e.datei}:{e.zeile}: {e.name}")
            zeilen += [f"        – {a}" for a in e.abweichungen]
    bestanden = sum(e.bestanden for e in ergebnisse)
    zeilen.append(f"{bestanden} bestanden, {len(ergebnisse) - bestanden} fehlgeschlagen")
    return "\n".join(zeilen)


__all__ = ["Testfall", "fuehre_aus", "testdateien", "bericht_text", "Fundstelle"]
