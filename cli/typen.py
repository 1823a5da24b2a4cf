"""Gemeinsames aller Befehle: deutsche Hilfe, Datums- und Merkmalstypen, und dass ein kurzer Befehl schnell endet."""

from __future__ import annotations

import datetime as dt

import click

class DatumTyp(click.ParamType):
    name = "TT.MM.JJJJ"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        from engine.datum import lies_datum

        try:
            return lies_datum(value)
        except ValueError as exc:
            self.fail(f"{exc}.", param, ctx)


class DeutscheHilfe:
    """Die --help-Option mit deutschem Hilfetext; Platzhalter im Aufruf auf Deutsch."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[OPTIONEN]")
        if isinstance(self, click.Group):
            kwargs.setdefault("subcommand_metavar", "BEFEHL [ARGUMENTE]...")
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "Diese Hilfe zeigen und beenden."
        return option


class Befehl(DeutscheHilfe, click.Command):
    pass


class Untergruppe(DeutscheHilfe, click.Group):
    command_class = Befehl


CONTEXT = {"help_option_names": ["-h", "--help"]}


class MerkmalTyp(click.ParamType):
    """NAME=ja|nein|unbekannt (bei Anzahlen NAME=Zahl)."""

    name = "NAME=WERT"

    def convert(self, value, param, ctx):
        from engine.felder import MERKMALE
        from engine.kommunen.profil import merkmalswert

        if isinstance(value, tuple):
            return value
        name, gleich, wert = value.partition("=")
        name = name.strip()
        if not gleich:
            self.fail(f"„{value}“: erwartet NAME=WERT, z. B. integrationskonzept_vorhanden=ja.", param, ctx)
        if name not in MERKMALE:
            self.fail(f"unbekanntes Merkmal „{name}“; „kommunalpflichten merkmale“ listet alle.", param, ctx)
        try:
            return name, merkmalswert(MERKMALE[name], wert)
        except ValueError as exc:
            self.fail(str(exc) + ".", param, ctx)


SCHNELL_BEENDEN = {"an": False}


def kurzer_befehl() -> None:
    """Ein kurzer Befehl (``check``, ``merkmale``) endet ohne das Aufräumen des Interpreters (rund 60 ms: Module,
    Objekte, der C-Kern von durable-rules) – nur beim Aufruf als Programm (``start``), nie in Tests mit CliRunner."""
    SCHNELL_BEENDEN["an"] = True


__all__ = ["DatumTyp", "MerkmalTyp", "Befehl", "Untergruppe", "DeutscheHilfe", "CONTEXT", "kurzer_befehl", "SCHNELL_BEENDEN"]
