"""Aus den Parametern einer Anfrage (Formular, URL, API) die Kommune und den Stichtag – mit denselben Regeln und
Meldungen wie ``check``: AGS wie Menschen ihn tippen, Datum deutsch oder ISO, Merkmale ja/nein/unbekannt, eigene Zahlen.

Eine falsche Angabe wird ein ``EingabeFehler`` mit der Fundstelle „Eingabe“ und dem Namen des Parameters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from engine.datum import lies_datum
from engine.fehler import EingabeFehler, Fundstelle, Meldung
from engine.felder import MERKMALE
from engine.kommunen.profil import ZAEHLWEISEN, Kommune, merkmalswert, mit_eigenen_zahlen, mit_merkmalen
from engine.zahlen import sichtbar

ZAHLFELDER = {"einwohner": "Einwohner", "auslaendische_einwohner": "ausländische Einwohner"}


@dataclass
class Angaben:
    """Was die Nutzerin zur Kommune angegeben hat (alles optional) – in dieser Form auch zurück in die URL."""

    stichtag: dt.date
    stichtag_text: str = ""
    merkmale: dict[str, str] = field(default_factory=dict)  # Name → ja | nein | unbekannt | Zahl (wie eingegeben)
    einwohner: int | None = None
    auslaendische_einwohner: int | None = None
    zaehlweise: str | None = None  # wie die eigene Zahl ausländischer Einwohner gezählt ist
    zahlenstand: dt.date | None = None  # ihr Stichtag

    def merkmalswerte(self) -> tuple:
        return tuple((name, merkmalswert(MERKMALE[name], wert)) for name, wert in self.merkmale.items())

    def parameter(self) -> list[tuple[str, str]]:
        """Für Links (Druckansicht, Downloads, Regelseiten): dieselben Angaben als Abfrageparameter."""
        teile = [("stichtag", self.stichtag.isoformat())]
        teile += [(name, wert) for name, wert in sorted(self.merkmale.items())]
        for feld in ZAHLFELDER:
            wert = getattr(self, feld)
            if wert is not None:
                teile.append((feld, str(wert)))
        if self.zaehlweise:
            teile.append(("auslaendische_einwohner_zaehlweise", self.zaehlweise))
        if self.zahlenstand:
            teile.append(("auslaendische_einwohner_stand", self.zahlenstand.isoformat()))
        return teile


def _fehler(feld: str, text: str) -> EingabeFehler:
    return EingabeFehler([Meldung(Fundstelle("Eingabe", feld=feld), sichtbar(text))])


def lies_angaben(parameter: list[tuple[str, str]], heute: dt.date | None = None, streng: bool = False) -> Angaben:
    """Parameter → Angaben. Merkmale als ``NAME=wert`` oder ``merkmal=NAME=wert`` (wie ``--merkmal``); ``streng``
    (API) lehnt unbekannte Parameter ab, die Webseite übergeht sie (Lesezeichen mit fremden Zusätzen)."""
    angaben = Angaben(stichtag=heute or dt.date.today())
    meldungen: list[Meldung] = []
    gesetzt: set[str] = set()  # Merkmale, die schon einen Wert haben (als NAME= oder merkmal=NAME=)
    for name, wert in parameter:
        wert = wert.strip()
        try:
            if name == "stichtag":
                if wert:
                    angaben.stichtag = lies_datum(wert)
                    angaben.stichtag_text = wert
            elif name in ZAHLFELDER:
                if wert:
                    if not (wert.isascii() and wert.isdigit() and len(wert) <= 9):
                        raise _fehler(name, f"„{wert}“ ist keine Anzahl; erwartet eine ganze Zahl wie 1004.")
                    setattr(angaben, name, int(wert))
            elif name == "auslaendische_einwohner_zaehlweise":
                if wert:
                    if wert not in ZAEHLWEISEN:
                        raise _fehler(name, f"„{wert}“: unbekannte Zählweise; erlaubt: {', '.join(ZAEHLWEISEN)}.")
                    angaben.zaehlweise = wert
            elif name == "auslaendische_einwohner_stand":
                if wert:
                    angaben.zahlenstand = lies_datum(wert)
            elif name == "merkmal" or name in MERKMALE:
                merkmal, wert = (wert.partition("=")[0].strip(), wert.partition("=")[2]) if name == "merkmal" else (name, wert)
                if merkmal not in MERKMALE:
                    raise _fehler(name, f"unbekanntes Merkmal „{merkmal}“; die Liste steht unter /api/v1/merkmale.")
                if wert.strip():
                    if merkmal in gesetzt:
                        raise _fehler(name, f"Merkmal „{merkmal}“ ist mehrfach angegeben; erwartet ist ein Wert.")
                    gesetzt.add(merkmal)
                    merkmalswert(MERKMALE[merkmal], wert)
                    angaben.merkmale[merkmal] = wert.strip()
            elif streng and name not in ("ags", "format"):
                raise _fehler(name, f"unbekannter Parameter „{name}“; erlaubt: ags, stichtag, merkmal, einwohner, "
                                    "auslaendische_einwohner, auslaendische_einwohner_zaehlweise, "
                                    "auslaendische_einwohner_stand.")
        except EingabeFehler as fehler:
            meldungen += fehler.meldungen
        except ValueError as exc:
            meldungen.append(Meldung(Fundstelle("Eingabe", feld=name), sichtbar(str(exc)) + "."))
    if meldungen:
        raise EingabeFehler(meldungen)
    return angaben


MEHRFACH = {"merkmal"}  # der einzige Parameter, der mehrfach stehen darf (je Merkmal einmal)


def pruefe_einmalig(parameter) -> None:
    """Ein Parameter, der zweimal steht (``?ags=A&ags=B``), ist ein Fehler – nicht still der letzte Wert."""
    gesehen: set[str] = set()
    doppelt: list[str] = []
    for name, _ in parameter:
        if name in gesehen and name not in MEHRFACH and name not in doppelt:
            doppelt.append(name)
        gesehen.add(name)
    if doppelt:
        raise EingabeFehler([Meldung(Fundstelle("Eingabe", feld=sichtbar(name[:60])),
                                     f"Der Parameter „{sichtbar(name[:60])}“ steht mehrfach in der Adresse; "
                                     "erwartet ist ein Wert.") for name in doppelt[:10]])


def kommune_mit_angaben(kommune: Kommune, angaben: Angaben) -> Kommune:
    kommune = mit_eigenen_zahlen(kommune, angaben.einwohner, angaben.auslaendische_einwohner, ort="Eingabe",
                                 namen={"einwohner": "Einwohner", "auslaendische_einwohner": "ausländische Einwohner"},
                                 zaehlweise=angaben.zaehlweise, stand=angaben.zahlenstand)
    return mit_merkmalen(kommune, angaben.merkmalswerte(), herkunft="eigene Angabe (Formular)")


__all__ = ["Angaben", "lies_angaben", "kommune_mit_angaben", "pruefe_einmalig"]
