"""Der Rahmen von click auf Deutsch: „Aufruf:“ statt „Usage:“, „Fehler:“ statt „Error:“, Meldungen zu Optionen.

click übersetzt seine Texte mit ``gettext``; jedes seiner Module hat ``_`` und ``ngettext`` als eigene globale Namen
(``from gettext import gettext as _``). Wir setzen dort unsere Übersetzung ein – ohne .mo-Dateien und ohne die
Sprache des Systems zu verändern. Ein unbekannter Text bleibt, wie er ist; ``tests/test_cli_deutsch.py`` prüft, dass
keine englische Meldung mehr durchkommt.
"""

from __future__ import annotations

import importlib

UEBERSETZUNG: dict[str, str] = {
    # Rahmen
    "Usage:": "Aufruf:",
    "Options": "Optionen",
    "Commands": "Befehle",
    "Positional arguments": "Argumente",
    "Error: {message}": "Fehler: {message}",
    "Try '{command} {option}' for help.": "Hilfe: „{command} {option}“",
    "Aborted!": "Abgebrochen.",
    "Show this message and exit.": "Diese Hilfe zeigen und beenden.",
    "Show the version and exit.": "Die Version zeigen und beenden.",
    "%(prog)s, version %(version)s": "%(prog)s, Version %(version)s",
    "default: {default}": "Standard: {default}",
    "env var: {var}": "Umgebungsvariable: {var}",
    "deprecated": "veraltet",
    "required": "Pflichtangabe",
    "Missing command.": "Es fehlt ein Befehl.",
    "Do you want to continue?": "Fortfahren?",
    "Confirm the action without prompting.": "Ohne Rückfrage ausführen.",
    # Fehler bei Optionen und Argumenten
    "Invalid value for {param_hint}: {message}": "Ungültiger Wert für {param_hint}: {message}",
    "Invalid value: {message}": "Ungültiger Wert: {message}",
    "Missing argument": "Es fehlt das Argument",
    "Missing option": "Es fehlt die Option",
    "Missing parameter": "Es fehlt die Angabe",
    "Missing parameter: {param_name}": "Es fehlt die Angabe {param_name}",
    "Missing {param_type}": "Es fehlt {param_type}",
    "No such command {name!r}.": "Den Befehl {name!r} gibt es nicht.",
    "No such option {name!r}.": "Die Option {name!r} gibt es nicht.",
    "Did you mean {possibility}?": "Gemeint ist vielleicht {possibility}.",
    "(Did you mean one of: {possibilities}?)": "(Gemeint ist vielleicht eine von: {possibilities}.)",
    "Got unexpected extra argument ({args})": "Unerwartetes zusätzliches Argument ({args})",
    "Got unexpected extra arguments ({args})": "Unerwartete zusätzliche Argumente ({args})",
    "Option {name!r} requires an argument.": "Die Option {name!r} braucht einen Wert.",
    "Option {name!r} requires {nargs} arguments.": "Die Option {name!r} braucht {nargs} Werte.",
    "Option {name!r} does not take a value.": "Die Option {name!r} nimmt keinen Wert.",
    "Argument {name!r} takes {nargs} values.": "Das Argument {name!r} nimmt {nargs} Werte.",
    "Takes {nargs} values but 1 was given.": "Braucht {nargs} Werte, angegeben ist einer.",
    "Takes {nargs} values but {len} were given.": "Braucht {nargs} Werte, angegeben sind {len}.",
    "Could not open file {filename!r}: {message}": "Die Datei {filename!r} lässt sich nicht öffnen: {message}",
    "unknown error": "unbekannter Fehler",
    "Value must be an iterable.": "Der Wert muss eine Liste sein.",
    # Typen
    "{value!r} is not a valid {number_type}.": "{value!r} ist keine gültige {number_type}.",
    "{value} is not in the range {range}.": "{value} ist nicht erlaubt ({range}).",
    "{value!r} is not one of {choices}.": "{value!r} ist keiner der erlaubten Werte {choices}.",
    "{value!r} is not {choice}.": "{value!r} ist nicht {choice}.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "{value!r} ist kein Wahrheitswert; erlaubt: {states}",
    "{value!r} does not match the format {format}.": "{value!r} passt nicht zum Format {format}.",
    "{value!r} does not match the formats {formats}.": "{value!r} passt zu keinem der Formate {formats}.",
    "{value!r} is not a valid UUID.": "{value!r} ist keine gültige UUID.",
    "{len_type} values are required, but {len_value} was given.":
        "{len_type} Werte sind nötig, angegeben ist {len_value}.",
    "{len_type} values are required, but {len_value} were given.":
        "{len_type} Werte sind nötig, angegeben sind {len_value}.",
    "Choose from:\n\t{choices}": "Erlaubt:\n\t{choices}",
    "file": "Datei",
    "directory": "Verzeichnis",
    "path": "Pfad",
    "{name} {filename!r} does not exist.": "{name} {filename!r} gibt es nicht.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} ist ein Verzeichnis.",
    "{name} {filename!r} is a file.": "{name} {filename!r} ist eine Datei.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} ist nicht lesbar.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} ist nicht beschreibbar.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} ist nicht ausführbar.",
    "Error: invalid input": "Fehler: ungültige Eingabe",
    "Error: The two entered values do not match.": "Fehler: Die beiden Eingaben stimmen nicht überein.",
    "Repeat for confirmation": "Zur Bestätigung wiederholen",
    "Press any key to continue...": "Weiter mit einer beliebigen Taste …",
}

# Bezeichnungen der Werttypen in „… ist keine gültige {number_type}“ und in „[ganze Zahl]“-Platzhaltern
TYPNAMEN = {"IntParamType": "ganze Zahl", "IntRange": "ganze Zahl", "FloatParamType": "Zahl", "FloatRange": "Zahl",
            "BoolParamType": "Wahrheitswert", "StringParamType": "Text", "UUIDParameterType": "UUID"}

_MODULE = ("core", "exceptions", "types", "parser", "formatting", "decorators", "termui", "utils", "_termui_impl",
           "shell_completion")


def uebersetze(text: str) -> str:
    return UEBERSETZUNG.get(text, text)


def uebersetze_mehrzahl(einzahl: str, mehrzahl: str, anzahl: int) -> str:
    return uebersetze(einzahl if anzahl == 1 else mehrzahl)


def _bereich(self) -> str:
    """„mindestens 1“, „höchstens 64“, „1 bis 64“ statt „x>=1“, „1<=x<=64“."""
    unten = None if self.min is None else (self.min + 1 if self.min_open else self.min)
    oben = None if self.max is None else (self.max - 1 if self.max_open else self.max)
    if unten is not None and oben is not None:
        return f"{unten} bis {oben}"
    return f"mindestens {unten}" if unten is not None else f"höchstens {oben}"


def aktiviere() -> None:
    """Einmal beim Import der CLI: die Übersetzung in die Module von click einsetzen."""
    import click.types

    basis = getattr(click.types, "_NumberRangeBase", None)
    if basis is not None and hasattr(basis, "_describe_range"):
        basis._describe_range = _bereich

    for name in _MODULE:
        try:
            modul = importlib.import_module(f"click.{name}")
        except ImportError:  # pragma: no cover - andere click-Version
            continue
        if hasattr(modul, "_"):
            modul._ = uebersetze
        if hasattr(modul, "ngettext"):
            modul.ngettext = uebersetze_mehrzahl
    for klasse, name in TYPNAMEN.items():
        typ = getattr(click.types, klasse, None)
        if typ is not None:
            typ.name = name
    _sichtbare_meldungen()


def _sichtbare_meldungen() -> None:
    """click wiederholt den eingegebenen Wert in seinen Meldungen („'\\x1b]0;…' ist keine Zahl“): jede Meldung, die
    eine click-Ausnahme formatiert, geht durch ``sichtbar`` – kein Steuerzeichen aus einer Option erreicht das Terminal."""
    import click.exceptions

    from engine.zahlen import sichtbar

    klassen = [click.exceptions.ClickException]
    while klassen:
        klasse = klassen.pop()
        klassen += klasse.__subclasses__()
        eigene = klasse.__dict__.get("format_message")
        if eigene is not None and not getattr(eigene, "_sichtbar", False):
            def format_message(self, _original=eigene):
                return sichtbar(_original(self))
            format_message._sichtbar = True
            klasse.format_message = format_message


__all__ = ["aktiviere", "UEBERSETZUNG"]
