"""Fehlerarten mit deutscher Meldung und Fundstelle (Datei, Zeile, Spalte, Feld).

Meldungen sind öffentliche Schnittstelle: klar, knapp, mit Hinweis, was zu tun ist.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Fundstelle:
    datei: str
    zeile: int | None = None  # 1-basiert
    spalte: int | None = None  # 1-basiert
    feld: str | None = None

    def __str__(self) -> str:
        teile = [self.datei]
        if self.zeile is not None:
            teile.append(str(self.zeile))
            if self.spalte is not None:
                teile.append(str(self.spalte))
        ort = ":".join(teile)
        return f"{ort}: Feld „{self.feld}“" if self.feld else ort


@dataclass
class Meldung:
    """Ein Befund: ``schwere`` ist ``fehler`` oder ``warnung``."""

    fundstelle: Fundstelle
    text: str
    schwere: str = "fehler"
    hinweis: str | None = None

    def zeile(self) -> str:
        f = self.fundstelle
        # Dateien immer mit Zeile und Spalte (Editoren springen dorthin); Eingaben ohne Datei (Optionen) ohne
        ort = f.datei if f.zeile is None and f.datei in ("Kommandozeile", "Eingabe") else f"{f.datei}:{f.zeile or 1}:{f.spalte or 1}"
        feld = f" Feld „{f.feld}“:" if f.feld else ""
        text = f"{ort}: {self.schwere}:{feld} {self.text}"
        if self.hinweis:
            text += f" Hinweis: {self.hinweis}"
        return text


class KommunalpflichtenFehler(Exception):
    """Basisklasse; die CLI gibt ``str(fehler)`` aus und beendet sich mit ``exit_code``."""

    exit_code = 2


MAX_MELDUNGEN = 50  # je Fehler; ein Profil mit 25.000 unbekannten Schlüsseln ergäbe sonst 1,5 MB Meldungen


@dataclass
class EingabeFehler(KommunalpflichtenFehler):
    """Eine oder mehrere Meldungen zu einer Eingabedatei (Profil oder Regeldatei), höchstens ``MAX_MELDUNGEN`` und
    eine Zeile, wie viele es darüber hinaus gab."""

    meldungen: list[Meldung] = field(default_factory=list)

    def __post_init__(self) -> None:
        if len(self.meldungen) > MAX_MELDUNGEN:
            rest = len(self.meldungen) - MAX_MELDUNGEN
            erste = self.meldungen[0].fundstelle
            self.meldungen = self.meldungen[:MAX_MELDUNGEN] + [Meldung(
                Fundstelle(erste.datei), f"… und {rest:,} weitere Meldungen (gezeigt sind die ersten "
                f"{MAX_MELDUNGEN}).".replace(",", "."))]

    def __str__(self) -> str:
        return "\n".join(m.zeile() for m in self.meldungen)


class EngineFehler(KommunalpflichtenFehler):
    """Interner Fehler der Inferenzmaschine (durable-rules); nie Folge einer falschen Eingabe."""

    exit_code = 3
