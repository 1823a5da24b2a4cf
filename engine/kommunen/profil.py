"""Das Kommunenprofil: die Angaben, nach denen die Regeln fragen.

Zur Laufzeit eine unveränderliche Datenklasse. Wer ``Kommune(...)`` (oder ``Spanne``, ``Unsicherheit``) direkt anlegt,
bekommt die strenge Prüfung von ``profilformat.py`` (pydantic): Zahlen müssen echte ganze Zahlen sein (kein Text,
kein Wahrheitswert), denn durable-rules vergleicht Text mit Zahlen lexikografisch ("600" ≥ 5000 wäre wahr). Ohne
Prüfung (``vertraut``, ``ersetzt``) entstehen nur Profile aus geprüften Werten: den mitgelieferten Daten (ihre
Gültigkeit prüft ein Test für jede Kommune) und Kopien geprüfter Profile. So lädt ``check --ags`` pydantic nie.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from engine.felder import MERKMALE, OBERGRENZE_EINWOHNER
from engine.fehler import EingabeFehler, Fundstelle, Meldung
from engine.yamlquelle import Dokument, lese_datei
from engine.zahlen import zahl


class _Geprueft:
    """Anlegen prüft (``profilformat``); ``vertraut`` und ``ersetzt`` übernehmen geprüfte Werte ohne Prüfung."""

    def __post_init__(self) -> None:
        from engine.kommunen.profilformat import pruefe

        self.__dict__.update(pruefe(type(self).__name__, dict(self.__dict__)))

    @classmethod
    def vertraut(cls, **werte):
        objekt = object.__new__(cls)
        felder = objekt.__dict__
        for name, wert, fabrik in _STANDARD[cls]:  # Reihenfolge der Felder wie bisher: fehlende zuerst
            if name not in werte:
                felder[name] = wert if fabrik is None else fabrik()
        felder.update(werte)
        return objekt

    def ersetzt(self, **aenderungen):
        """Eine Kopie mit geänderten Feldern, ohne erneute Prüfung (wie ``model_copy`` in pydantic)."""
        objekt = object.__new__(type(self))
        objekt.__dict__.update(self.__dict__)
        objekt.__dict__.update(aenderungen)
        return objekt


_profilklasse = dataclass(frozen=True, kw_only=True)


@_profilklasse
class Spanne(_Geprueft):
    """Bereich, in dem der wahre Wert liegt (beide Grenzen einschließlich)."""

    von: int
    bis: int


@_profilklasse
class Unsicherheit(_Geprueft):
    """Wie genau die Zahlen sind: geschätzte Werte liegen in einer Spanne; der Grund wird im Ergebnis genannt."""

    einwohner: Spanne | None = None
    auslaendische_einwohner: Spanne | None = None
    grund: str


MAX_NAME = 200  # Zeichen; der längste Name der mitgelieferten Daten hat 49
MAX_TEXT = 2000  # Zeichen für Quellen und Herleitungen


# Wie eine Zahl ausländischer Einwohner gezählt ist – die Gesetze meinen das Melderegister (gemeldete Einwohner).
ZAEHLWEISEN = {"melderegister": "Melderegister", "azr": "Ausländerzentralregister",
               "fortschreibung": "amtliche Bevölkerungsfortschreibung", "sonstige": "sonstige Zählung"}


@_profilklasse
class Kommune(_Geprueft):
    """Felder und ihre Bedeutung: ``profilformat.Kommune`` und docs (Abschnitt „Das Kommunenprofil“)."""

    name: str
    ags: str | None = None
    land: str
    typ: str
    einwohner: int
    auslaendische_einwohner: int
    quelle: str | None = None
    stichtag_daten: dt.date | None = None
    kreis: str | None = None
    merkmale: dict = field(default_factory=dict)
    merkmal_quellen: dict = field(default_factory=dict)
    unsicherheit: Unsicherheit | None = None
    auslaendische_einwohner_zaehlweise: str | None = None
    auslaendische_einwohner_stand: dt.date | None = None
    typ_herleitung: str | None = None

    def merkmal(self, name: str) -> Any:
        """Wert eines Merkmals; ``None`` heißt unbekannt (nicht angegeben oder ausdrücklich „unbekannt“)."""
        return self.merkmale.get(name)

    def unbekannte_merkmale(self) -> list[str]:
        return [name for name in MERKMALE if self.merkmale.get(name) is None]

    def spanne(self, feld: str) -> tuple[int, int]:
        """(von, bis) eines Zahlenfelds; ohne Unsicherheit der Punktwert."""
        wert = getattr(self, feld)
        spanne = getattr(self.unsicherheit, feld, None) if self.unsicherheit else None
        return (spanne.von, spanne.bis) if spanne is not None else (wert, wert)

    def wert(self, feld: str) -> Any:
        if feld in MERKMALE:
            return self.merkmal(feld)
        return getattr(self, feld)

    def als_dict(self) -> dict:
        """Alle Felder (Unsicherheit und Spannen als verschachtelte dicts), z. B. als Eingabe einer neuen Prüfung."""
        daten = dict(self.__dict__)
        if self.unsicherheit is not None:
            daten["unsicherheit"] = {k: (dict(v.__dict__) if isinstance(v, Spanne) else v)
                                     for k, v in self.unsicherheit.__dict__.items()}
        return daten


def _standardwerte(klasse) -> list[tuple[str, Any, Any]]:
    """(Feld, Standardwert, Fabrik oder ``None``) für jedes Feld mit Standardwert – ``vertraut`` füllt, was fehlt
    (ein fester Standardwert ohne Aufruf: ``batch`` legt elftausend Profile an)."""
    werte = []
    for f in dataclasses.fields(klasse):
        if f.default is not dataclasses.MISSING:
            werte.append((f.name, f.default, None))
        elif f.default_factory is not dataclasses.MISSING:
            werte.append((f.name, None, f.default_factory))
    return werte


_STANDARD = {k: _standardwerte(k) for k in (Spanne, Unsicherheit, Kommune)}


UNBEKANNT = "unbekannt"
_JA = ("ja", "true", "wahr")
_NEIN = ("nein", "false", "falsch")


def merkmalswert(feld, wert: Any) -> bool | int | None:
    """Eingabe eines Merkmals (Datei, Kommandozeile) → True/False, ganze Zahl oder None (unbekannt)."""
    if isinstance(wert, str):
        text = wert.strip().casefold()
        if text == UNBEKANNT:
            return None
        if feld.art == "wahrheitswert" and text in _JA + _NEIN:
            return text in _JA
        if feld.art == "zahl" and text.isascii() and text.isdigit() and len(text) <= 8:
            wert = int(text)
    if wert is None:
        return None
    if feld.art == "wahrheitswert":
        if not isinstance(wert, bool):
            raise ValueError(f"Merkmal „{feld.name}“ ist ja, nein oder unbekannt")
        return wert
    if isinstance(wert, bool) or not isinstance(wert, int) or not 0 <= wert <= OBERGRENZE_EINWOHNER:
        raise ValueError(f"Merkmal „{feld.name}“ ist eine ganze Zahl ≥ 0 oder unbekannt")
    return wert


def mit_merkmalen(kommune: "Kommune", merkmale: tuple, herkunft: str = "eigene Angabe (--merkmal)") -> "Kommune":
    """Tatsachen von der Kommandozeile ersetzen die des Profils bzw. der amtlichen Listen; die Quelle sagt es."""
    if not merkmale:
        return kommune
    werte = dict(kommune.merkmale)
    quellen = dict(kommune.merkmal_quellen)
    for name, wert in merkmale:
        werte[name] = wert
        if wert is None:
            quellen.pop(name, None)
        else:
            quellen[name] = herkunft
    return kommune.ersetzt(merkmale=werte, merkmal_quellen=quellen)


def merkmal_text(wert: Any) -> str:
    if wert is None:
        return UNBEKANNT
    if isinstance(wert, bool):
        return "ja" if wert else "nein"
    return str(wert)


# Felder, die einen Fehler auf Modellebene auslösen, zeigen auf dieses Feld der Datei
_MODELL_FEHLER_FELD = {
    "mehr ausländische": "auslaendische_einwohner",
    "der AGS": "ags",
    "den Kommunaltyp": "typ",
}


def lade_profil(pfad: Path | str) -> Kommune:
    """Profildatei (YAML oder JSON) lesen und validieren."""
    dokument = lese_datei(pfad)
    return profil_aus_dokument(dokument)


def _mit_zahlenangabe(kommune: Kommune) -> Kommune:
    """Nennt das Profil Zählweise oder Stand seiner Zahl ausländischer Einwohner, sagt die Quelle es – jeder Bericht
    zeigt so, welche Zahl er benutzt hat."""
    if kommune.auslaendische_einwohner_zaehlweise is None and kommune.auslaendische_einwohner_stand is None:
        return kommune
    eigene = eigene_zahl_text(kommune.auslaendische_einwohner, kommune.auslaendische_einwohner_zaehlweise,
                              kommune.auslaendische_einwohner_stand)
    text = eigene.replace("eigene Angabe", "Angabe im Profil")
    if kommune.quelle and (eigene in kommune.quelle or text in kommune.quelle):  # z. B. aus --als-profil
        return kommune
    return kommune.ersetzt(quelle=text + (f"; {kommune.quelle}" if kommune.quelle else ""))


def profil_aus_dokument(dokument: Dokument) -> Kommune:
    if not isinstance(dokument.daten, dict):
        raise EingabeFehler(
            [
                _meldung(dokument, (), "Ein Profil ist eine Abbildung mit name, land, typ, einwohner, auslaendische_einwohner.")
            ]
        )
    from engine.kommunen import profilformat
    from engine.validierung import validiere

    try:
        kommune = _mit_zahlenangabe(profilformat.in_laufzeit(validiere(profilformat.Kommune, dokument)))
    except EingabeFehler as fehler:
        for meldung in fehler.meldungen:
            if not meldung.fundstelle.feld:
                for anfang, feld in _MODELL_FEHLER_FELD.items():
                    if meldung.text.startswith(anfang[:1].upper() + anfang[1:]):
                        meldung.fundstelle = dokument.fundstelle((feld,), feld)
            elif meldung.fundstelle.feld == "merkmale":
                # auf die Zeile des betroffenen Merkmals zeigen
                for name in (dokument.daten.get("merkmale") or {}) if isinstance(dokument.daten.get("merkmale"), dict) else {}:
                    if f"„{name}“" in meldung.text:
                        meldung.fundstelle = dokument.fundstelle(("merkmale", name), f"merkmale.{name}")
        raise
    from engine.kommunen.abgleich import pruefe_gegen_daten

    meldungen = pruefe_gegen_daten(kommune, dokument)
    if meldungen:
        raise EingabeFehler(meldungen)
    return kommune


def _meldung(dokument: Dokument, pfad: tuple, text: str) -> Meldung:
    return Meldung(dokument.fundstelle(pfad), text)


def _spannen_an_eigene_zahlen(unsicherheit: dict, einwohner: int, auslaendische: int) -> None:
    """Die verbliebene Spanne der Schätzung an die eigene Zahl anpassen: bei 1.000 eigenen Einwohnern liegt die
    Zahl der ausländischen nicht bei „762 bis 1.212“, sondern höchstens bei 1.000; bei eigenen ausländischen
    Einwohnern hat die Kommune mindestens so viele Einwohner."""
    a, e = unsicherheit.get("auslaendische_einwohner"), unsicherheit.get("einwohner")
    if a is not None and e is None:
        a["bis"] = max(min(a["bis"], einwohner), auslaendische)
        a["von"] = min(a["von"], a["bis"])
    if e is not None and a is None:
        e["von"] = min(max(e["von"], auslaendische), einwohner)
        e["bis"] = max(e["bis"], e["von"])


OPTIONSNAMEN = {"einwohner": "--einwohner", "auslaendische_einwohner": "--auslaendische-einwohner"}


def eigene_zahl_text(auslaendische: int, zaehlweise: str | None, stand: dt.date | None) -> str:
    """„ausländische Einwohner 1.004 (eigene Angabe: Melderegister, Stand 30.06.2025)“ – welche Zahl der Bericht nutzt."""
    teile = [ZAEHLWEISEN[zaehlweise] if zaehlweise else "Zählweise nicht angegeben"]
    teile.append(f"Stand {stand:%d.%m.%Y}" if stand else "Stand nicht angegeben")
    return f"ausländische Einwohner {zahl(auslaendische)} (eigene Angabe: {', '.join(teile)})"


def mit_eigenen_zahlen(kommune: Kommune, einwohner: int | None, auslaendische: int | None,
                       ort: str = "Kommandozeile", namen: dict[str, str] | None = None,
                       zaehlweise: str | None = None, stand: dt.date | None = None) -> Kommune:
    """Eigene Zahlen (Melderegister) ersetzen die mitgelieferten; ihre Spanne entfällt, die Quelle sagt es – bei den
    ausländischen Einwohnern mit Zählweise und Stand, soweit angegeben (die Gesetze zählen gemeldete Einwohner an
    ihrem eigenen Stichtag).

    ``ort`` und ``namen`` bestimmen, wie eine Meldung die Eingabe nennt: „--einwohner“ auf der Kommandozeile, das
    Formularfeld auf der Webseite."""
    if auslaendische is None and (zaehlweise is not None or stand is not None):
        raise EingabeFehler([Meldung(Fundstelle(ort), "Zählweise und Stand beschreiben eine eigene Zahl der "
                                                      "ausländischen Einwohner – bitte die Zahl mit angeben.")])
    if einwohner is None and auslaendische is None:
        return kommune
    namen = OPTIONSNAMEN if namen is None else namen
    from pydantic import ValidationError

    from engine.kommunen import profilformat
    from engine.validierung import deutsche_meldungen

    daten = kommune.als_dict()
    teile = []
    unsicherheit = daten["unsicherheit"]
    for feld, wert, text in (("einwohner", einwohner, "Einwohner"),
                             ("auslaendische_einwohner", auslaendische, "ausländische Einwohner")):
        if wert is None:
            continue
        daten[feld] = wert
        if feld == "auslaendische_einwohner" and isinstance(wert, int):
            teile.append(eigene_zahl_text(wert, zaehlweise, stand))
            daten["auslaendische_einwohner_zaehlweise"], daten["auslaendische_einwohner_stand"] = zaehlweise, stand
        else:
            teile.append(f"{text} {zahl(wert) if isinstance(wert, int) else wert} (eigene Angabe)")
        if unsicherheit:
            unsicherheit[feld] = None
    if unsicherheit:
        _spannen_an_eigene_zahlen(unsicherheit, daten["einwohner"], daten["auslaendische_einwohner"])
    if unsicherheit and (unsicherheit["einwohner"] or unsicherheit["auslaendische_einwohner"]):
        daten["unsicherheit"] = unsicherheit
    else:
        daten["unsicherheit"] = None
    daten["quelle"] = ("; ".join(teile) + (f"; übrige Zahlen: {kommune.quelle}" if kommune.quelle else ""))[:MAX_TEXT]
    try:
        return profilformat.in_laufzeit(profilformat.Kommune.model_validate(daten))
    except ValidationError as exc:
        meldungen = []
        for m in deutsche_meldungen(exc):
            for feld, name in namen.items():
                m = m.replace(f"Feld „{feld}“", name)
            meldungen.append(m)
        raise EingabeFehler([Meldung(Fundstelle(ort), "Die eigenen Zahlen passen nicht: " + " ".join(meldungen))]) from None
