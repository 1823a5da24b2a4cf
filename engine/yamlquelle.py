"""Sicheres Lesen von YAML/JSON mit Positionen.

Regel- und Profildateien sind Daten: Es werden nur die Standard-Tags (Zeichenkette, Zahl, Wahrheitswert,
null, Datum, Liste, Abbildung) akzeptiert; jedes andere Tag (z. B. ``!!python/object``) wird abgelehnt,
ebenso doppelte Schlüssel, Anker/Verweise (``&a``/``*a``: sie ließen eine kleine Datei exponentiell wachsen),
unendliche Zahlen und NaN. Gelesen wird begrenzt: nur gewöhnliche Dateien (eine benannte Pipe oder ein Gerät würde das
Lesen blockieren), höchstens ``MAX_BYTES``, höchstens ``MAX_TIEFE`` Ebenen. Zu jedem Pfad im Dokument wird die
Position (Zeile, Spalte) gemerkt, damit Validierungsfehler auf die Stelle in der Datei zeigen.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from engine.fehler import EingabeFehler, Fundstelle, Meldung

Pfad = tuple[str | int, ...]

MAX_BYTES = 1_048_576  # 1 MiB: die größte Regel- oder Datendatei hat ~22 KB
MAX_TIEFE = 40  # Ebenen verschachtelter Listen/Abbildungen; Regeln brauchen unter 15

_ERLAUBTE_SKALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}


@dataclass
class Dokument:
    """Ein gelesenes Dokument: Python-Daten plus Positionen je Pfad."""

    datei: str
    daten: Any
    positionen: dict[Pfad, tuple[int, int]]

    def fundstelle(self, pfad: Pfad, feld: str | None = None) -> Fundstelle:
        """Position des längsten bekannten Präfixes von ``pfad``."""
        p = tuple(pfad)
        while p and p not in self.positionen:
            p = p[:-1]
        zeile, spalte = self.positionen.get(p, (1, 1))
        return Fundstelle(self.datei, zeile, spalte, feld if feld is not None else pfad_text(pfad))


def pfad_text(pfad: Pfad) -> str:
    text = ""
    for teil in pfad:
        if isinstance(teil, int):
            text += f"[{teil}]"
        else:
            text += ("." if text else "") + str(teil)
    return text


class _Lader(yaml.SafeLoader):
    """SafeLoader, der nur komponiert; Konstruktion übernimmt ``_baue``."""


# libyaml (C) komponiert etwa zehnmal schneller; Positionen und Tags sind dieselben. Ohne libyaml: reines Python.
_Komponierer = getattr(yaml, "CSafeLoader", None) if getattr(yaml, "__with_libyaml__", False) else None
_Komponierer = _Komponierer or _Lader


def _fehler(datei: str, node: Node | None, text: str, pfad: Pfad = (), hinweis: str | None = None) -> EingabeFehler:
    zeile = node.start_mark.line + 1 if node is not None else None
    spalte = node.start_mark.column + 1 if node is not None else None
    return EingabeFehler([Meldung(Fundstelle(datei, zeile, spalte, pfad_text(pfad) or None), text, hinweis=hinweis)])


def _skalar(datei: str, node: ScalarNode, pfad: Pfad) -> Any:
    if node.tag not in _ERLAUBTE_SKALAR_TAGS:
        raise _fehler(
            datei,
            node,
            f"YAML-Tag „{node.tag}“ ist nicht erlaubt.",
            pfad,
            "Regel- und Profildateien sind reine Daten; entfernen Sie das Tag.",
        )
    wert = _Lader.construct_scalar(_KONSTRUKTOR, node)
    if node.tag == "tag:yaml.org,2002:str":
        return wert
    if node.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
        _zahl_wie_yaml12(datei, node, pfad)
    methode = {
        "tag:yaml.org,2002:int": _KONSTRUKTOR.construct_yaml_int,
        "tag:yaml.org,2002:float": _KONSTRUKTOR.construct_yaml_float,
        "tag:yaml.org,2002:bool": _KONSTRUKTOR.construct_yaml_bool,
        "tag:yaml.org,2002:null": _KONSTRUKTOR.construct_yaml_null,
        "tag:yaml.org,2002:timestamp": _KONSTRUKTOR.construct_yaml_timestamp,
    }[node.tag]
    try:
        ergebnis = methode(node)
    except (ValueError, yaml.YAMLError):
        art = "kein gültiges Datum" if node.tag.endswith("timestamp") else "ungültig"
        raise _fehler(datei, node, f"Wert „{node.value}“ ist {art}.", pfad) from None
    if isinstance(ergebnis, float) and not math.isfinite(ergebnis):
        raise _fehler(datei, node, f"Wert „{node.value}“ ist keine endliche Zahl.", pfad,
                      "Unendlich (.inf) und NaN (.nan) sind als Zahl nicht erlaubt.")
    if isinstance(ergebnis, dt.datetime):
        raise _fehler(datei, node, "Zeitangaben mit Uhrzeit sind nicht erlaubt; bitte nur ein Datum (JJJJ-MM-TT).", pfad)
    return ergebnis


_KONSTRUKTOR = _Lader("")

_GANZZAHL_12 = re.compile(r"[-+]?(0|[1-9][0-9]*)")


def _zahl_wie_yaml12(datei: str, node: ScalarNode, pfad: Pfad) -> None:
    """Zahlen nur in der Form von YAML 1.2 (und JSON): PyYAML liest YAML 1.1, wo ``010000`` oktal 4.096 ist,
    ``1:20:00`` sexagesimal 4.800 und ``1_000`` 1.000 – still und für niemanden erwartbar. Solche Formen sind ein
    Fehler mit Position, nie eine stille Umdeutung."""
    text = node.value.strip()
    if node.tag.endswith(":float"):
        if ":" in text or "_" in text:
            raise _fehler(datei, node, f"„{text}“ ist keine Zahl in gewöhnlicher Schreibweise.", pfad,
                          "Dezimalzahlen mit Punkt schreiben (z. B. 1.5), ohne Doppelpunkte oder Unterstriche; einen "
                          "Text in Anführungszeichen setzen.")
        return
    if _GANZZAHL_12.fullmatch(text):
        return
    ziffern = text.lstrip("+-")
    if ":" in text:
        grund = "mit Doppelpunkten läse YAML 1.1 das als Sexagesimalzahl (Basis 60)"
    elif "_" in text:
        grund = "Unterstriche in Zahlen gibt es in YAML 1.2 und JSON nicht"
    elif ziffern[:2].lower() in ("0x", "0b", "0o"):
        grund = "erlaubt sind nur Dezimalzahlen"
    else:
        grund = "mit führender Null läse YAML 1.1 das als Oktalzahl"
    raise _fehler(datei, node, f"„{text}“ ist keine eindeutige ganze Zahl: {grund}.", pfad,
                  "Eine Anzahl als Dezimalzahl ohne führende Null schreiben (z. B. 10000); eine Kennung wie einen AGS in "
                  "Anführungszeichen (\"06413000\").")


def _baue(datei: str, node: Node, pfad: Pfad, positionen: dict[Pfad, tuple[int, int]],
          gesehen: set[int] | None = None) -> Any:
    gesehen = set() if gesehen is None else gesehen
    if not isinstance(node, ScalarNode):
        if id(node) in gesehen:  # derselbe Knoten ein zweites Mal: ein Verweis (*anker)
            raise _fehler(datei, node, "Anker und Verweise (&name, *name) sind nicht erlaubt.", pfad,
                          "Schreiben Sie den Inhalt an jeder Stelle aus; Regeldateien sollen ohne Auflösung lesbar sein.")
        gesehen.add(id(node))
    if len(pfad) > MAX_TIEFE:
        raise _fehler(datei, node, f"Zu tief verschachtelt (mehr als {MAX_TIEFE} Ebenen).", pfad)
    positionen[pfad] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, ScalarNode):
        return _skalar(datei, node, pfad)
    if isinstance(node, SequenceNode):
        if node.tag != "tag:yaml.org,2002:seq":
            raise _fehler(datei, node, f"YAML-Tag „{node.tag}“ ist nicht erlaubt.", pfad)
        return [_baue(datei, kind, pfad + (i,), positionen, gesehen) for i, kind in enumerate(node.value)]
    if isinstance(node, MappingNode):
        if node.tag != "tag:yaml.org,2002:map":
            raise _fehler(datei, node, f"YAML-Tag „{node.tag}“ ist nicht erlaubt.", pfad)
        ergebnis: dict[str, Any] = {}
        for schluessel_node, wert_node in node.value:
            if not isinstance(schluessel_node, ScalarNode) or schluessel_node.tag == "tag:yaml.org,2002:merge":
                raise _fehler(datei, schluessel_node, "Schlüssel müssen einfache Namen sein (keine Listen, keine Merge-Schlüssel „<<“).", pfad)
            schluessel = str(_skalar(datei, schluessel_node, pfad))
            if schluessel in ergebnis:
                raise _fehler(
                    datei,
                    schluessel_node,
                    f"Schlüssel „{schluessel}“ ist doppelt vorhanden.",
                    pfad + (schluessel,),
                    "Jeder Schlüssel darf in einer Abbildung nur einmal stehen; löschen Sie einen der beiden Einträge.",
                )
            kind_pfad = pfad + (schluessel,)
            ergebnis[schluessel] = _baue(datei, wert_node, kind_pfad, positionen, gesehen)
            positionen[kind_pfad] = (schluessel_node.start_mark.line + 1, schluessel_node.start_mark.column + 1)
        return ergebnis
    raise _fehler(datei, node, "Unbekannter YAML-Knoten.", pfad)  # pragma: no cover


# JSON schreibt Zeichen außerhalb der Basisebene (Emoji) als Surrogatpaar „\ud83d\ude00“; YAML kennt dafür nur
# „\U0001f600“. Ein Paar (mit ungerader Zahl Backslashes davor, also wirklich ein Escape) wird vor dem Lesen
# zusammengesetzt; ein einzelnes Surrogat bleibt ein Fehler.
_SURROGATPAAR = re.compile(r"(?<!\\)((?:\\\\)*)\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})")


def _paare_zusammensetzen(text: str) -> str:
    if "\\u" not in text:
        return text

    def ersetze(m: re.Match) -> str:
        hoch, tief = int(m.group(2), 16), int(m.group(3), 16)
        return m.group(1) + f"\\U{0x10000 + ((hoch - 0xD800) << 10) + (tief - 0xDC00):08x}"

    return _SURROGATPAAR.sub(ersetze, text)


def _zu_viele_knoten(text: str, grenze: int) -> bool:
    """Mehr als ``grenze`` Werte im Text? Gezählt an den Ereignissen des Parsers, die je einzeln nach Python kommen:
    das Zusammensetzen der Knoten (``get_single_node``) läuft in libyaml am Stück, ohne die GIL abzugeben – bei
    einer Liste mit 120.000 Werten eine halbe Sekunde, in der kein anderer Thread des Servers antwortet."""
    zaehler = 0
    try:
        for ereignis in yaml.parse(text, Loader=_Komponierer):
            if isinstance(ereignis, (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                zaehler += 1
                if zaehler > grenze:
                    return True
    except yaml.YAMLError:
        return False  # den Syntaxfehler meldet das Zusammensetzen mit Position
    return False


def lese_text(text: str, datei: str, max_knoten: int | None = None) -> Dokument:
    """YAML- oder JSON-Text lesen (JSON ist gültiges YAML). ``max_knoten`` begrenzt die Zahl der Werte, bevor
    irgendetwas zusammengesetzt wird (Eingaben aus dem Netz)."""
    text = _paare_zusammensetzen(text)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:  # ein einzelnes Surrogat: aus einer UTF-8-Datei unmöglich, aus einem Text nicht
        zeile = text.count("\n", 0, exc.start) + 1
        spalte = exc.start - (text.rfind("\n", 0, exc.start) + 1) + 1
        raise EingabeFehler([Meldung(Fundstelle(datei, zeile, spalte),
                                     "Der Text enthält ein ungültiges Zeichen (ein einzelnes UTF-16-Surrogat).")]) from None
    if max_knoten is not None and _zu_viele_knoten(text, max_knoten):
        raise EingabeFehler([Meldung(Fundstelle(datei, 1, 1), f"Zu viele Werte (mehr als {max_knoten:,}).".replace(",", "."),
                                     hinweis="Ein Profil hat wenige Dutzend Angaben.")])
    try:
        lader = _Komponierer(text)
        try:
            knoten = lader.get_single_node()
        finally:
            lader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        zeile = mark.line + 1 if mark else None
        spalte = mark.column + 1 if mark else None
        problem = _uebersetze_yaml_problem(exc.problem or exc.context or "Syntaxfehler")
        raise EingabeFehler(
            [Meldung(Fundstelle(datei, zeile, spalte), f"Die Datei ist kein gültiges YAML/JSON: {problem}.",
                     hinweis="Prüfen Sie Einrückung, Doppelpunkte und Anführungszeichen an dieser Stelle.")]
        ) from None
    except yaml.YAMLError as exc:
        raise EingabeFehler([Meldung(Fundstelle(datei), f"Die Datei ist kein gültiges YAML/JSON: {exc}.")]) from None
    except RecursionError:
        raise EingabeFehler([Meldung(Fundstelle(datei, 1, 1), f"Zu tief verschachtelt (mehr als {MAX_TIEFE} Ebenen).")]) from None
    if knoten is None:
        raise EingabeFehler([Meldung(Fundstelle(datei, 1, 1), "Die Datei ist leer.")])
    positionen: dict[Pfad, tuple[int, int]] = {}
    try:
        daten = _baue(datei, knoten, (), positionen)
    except RecursionError:
        raise EingabeFehler([Meldung(Fundstelle(datei, 1, 1), f"Zu tief verschachtelt (mehr als {MAX_TIEFE} Ebenen).")]) from None
    return Dokument(datei, daten, positionen)


_YAML_PROBLEME = {
    # Wortlaute von PyYAML (Python) und libyaml (C)
    "mapping values are not allowed": "hier ist kein Doppelpunkt (Schlüssel: Wert) erlaubt",
    "did not find expected ',' or ']'": "eine Liste in eckigen Klammern ist nicht geschlossen (fehlt „]“ oder „,“?)",
    "did not find expected ',' or '}'": "eine Abbildung in geschweiften Klammern ist nicht geschlossen (fehlt „}“?)",
    "expected ',' or ']'": "eine Liste in eckigen Klammern ist nicht geschlossen (fehlt „]“ oder „,“?)",
    "found character that cannot start any token": "unerlaubtes Zeichen (z. B. Tabulator) am Zeilenanfang",
    "did not find expected '-' indicator": "Listeneintrag ohne „-“ oder falsche Einrückung",
    "did not find expected key": "erwarteter Schlüssel fehlt (Einrückung prüfen)",
    "but found another document": "die Datei darf nur ein Dokument enthalten (kein zweites „---“)",
    "found unexpected end of stream": "unerwartetes Dateiende (Anführungszeichen nicht geschlossen?)",
    "could not find expected ':'": "erwarteter Doppelpunkt fehlt",
    "found character '\\t' that cannot start any token": "Tabulatorzeichen sind in YAML nicht erlaubt",
    "expected <block end>, but found '<block mapping start>'": "Einrückung passt nicht zur vorigen Zeile",
    "found undefined alias": "unbekannter Anker-Verweis (*)",
    "expected a single document in the stream": "die Datei darf nur ein Dokument enthalten",
    "exceeded maximum nesting depth": "zu tief verschachtelt",
    "found invalid Unicode character escape code": "ungültige Unicode-Escape-Folge (z. B. ein einzelnes Surrogat "
                                                   "wie \\ud83d ohne zweite Hälfte)",
}


def _uebersetze_yaml_problem(problem: str) -> str:
    for englisch, deutsch in _YAML_PROBLEME.items():
        if problem.startswith(englisch) or englisch in problem:
            return deutsch
    return f"Syntaxfehler ({problem})"


def lese_datei(pfad: Path | str) -> Dokument:
    """Datei lesen; fehlende, unlesbare oder nicht-UTF-8-Dateien ergeben einen ``EingabeFehler``."""
    pfad = Path(pfad)
    name = str(pfad)
    try:
        art = os.stat(pfad).st_mode
        if stat.S_ISDIR(art):
            raise IsADirectoryError
        if not stat.S_ISREG(art):
            raise EingabeFehler([Meldung(Fundstelle(name), "Das ist keine gewöhnliche Datei (z. B. eine benannte Pipe "
                                         "oder ein Gerät) und wird nicht gelesen.")])
        with open(pfad, "rb") as f:
            roh = f.read(MAX_BYTES + 1)
        if len(roh) > MAX_BYTES:
            raise EingabeFehler([Meldung(Fundstelle(name), f"Die Datei ist größer als {MAX_BYTES // 1024} KB und wird "
                                         "nicht gelesen.", hinweis="Regel- und Profildateien sind klein; teilen Sie "
                                         "die Datei oder prüfen Sie, ob es die richtige ist.")])
        text = roh.decode("utf-8")
        if text.startswith("\ufeff"):  # BOM (Windows-Editoren)
            text = text[1:]
    except FileNotFoundError:
        raise EingabeFehler([Meldung(Fundstelle(name), "Die Datei existiert nicht.",
                                     hinweis="Prüfen Sie den Pfad.")]) from None
    except IsADirectoryError:
        raise EingabeFehler([Meldung(Fundstelle(name), "Das ist ein Verzeichnis, keine Datei.")]) from None
    except UnicodeDecodeError:
        raise EingabeFehler([Meldung(Fundstelle(name), "Die Datei ist nicht UTF-8-kodiert.",
                                     hinweis="Speichern Sie die Datei als UTF-8.")]) from None
    except OSError as exc:
        raise EingabeFehler([Meldung(Fundstelle(name), f"Die Datei kann nicht gelesen werden ({exc.strerror}).")]) from None
    return lese_text(text, name)
