"""``web`` (Webseite und API starten) und ``merkmale`` (wonach die Regeln fragen)."""

from __future__ import annotations

import gc

import click

from cli.typen import Befehl, kurzer_befehl
from engine.zahlen import sichtbar


@click.command("web", cls=Befehl)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Adresse, an die der Server bindet; 0.0.0.0 macht ihn im Netz erreichbar (dann davor einen "
                   "Reverse-Proxy mit TLS setzen).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="TCP-Port")
@click.option("--regeln", "regelpfade", multiple=True, type=click.Path(exists=True, path_type=str),
              help="Andere Regeldateien oder -ordner statt der mitgelieferten (mehrfach möglich).")
@click.option("--verbindungen", type=click.IntRange(8, 10_000), default=None,
              help="höchstens so viele offene Verbindungen (Standard: nach der Grenze offener Dateien, höchstens "
                   "1.000); darüber weicht die älteste, die noch auf ihre Anfrage wartet")
def web_befehl(host: str, port: int, regelpfade: tuple[str, ...], verbindungen: int | None) -> None:
    """Webseite und JSON-API starten (Suche, Ergebnisseite mit offenen Fragen, Druckansicht, Regeln, Abdeckung;
    API unter /api/v1/, Beschreibung unter /api/v1/openapi.json). Strg-C beendet den Server."""
    from pathlib import Path

    try:
        from web.app import erstelle_app
        from web.server import binde, starte
    except ImportError as exc:  # pragma: no cover - Installation ohne Web-Abhängigkeiten
        raise click.ClickException(f"Für „web“ fehlen Pakete ({exc.name}); installieren Sie kommunalpflichten neu "
                                   "(pip install .).") from None
    gc.enable()  # ein Server lebt lange
    try:
        sock = binde(host, port)
    except (OSError, OverflowError) as exc:
        grund = getattr(exc, "strerror", None) or str(exc)
        raise click.ClickException(sichtbar(f"Der Server kann nicht an {host}:{port} binden: {grund}.")) from None
    app = erstelle_app([Path(p) for p in regelpfade] if regelpfade else None)
    anzeige = f"[{host}]" if ":" in host else host
    click.echo(sichtbar(f"kommunalpflichten: http://{anzeige}:{port}/ (API: /api/v1/, Strg-C beendet)"), err=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo("Achtung: der Server ist von anderen Rechnern erreichbar. Für den Betrieb einen Reverse-Proxy mit "
                   "TLS davorsetzen.", err=True)
    starte(app, sock, verbindungen)


@click.command("merkmale", cls=Befehl)
@click.option("--land", default=None, help="nur die Merkmale, nach denen die Regeln dieses Landes fragen (z. B. NW)")
def merkmale_befehl(land: str | None) -> None:
    """Die Merkmale (Tatsachen über eine Kommune), nach denen Regeln fragen – mit Frage und Normen."""
    kurzer_befehl()
    from engine.begriffe import LAENDER
    from engine.felder import MERKMALE
    from engine.regeln.basis import lade_regelbasis
    from engine.regeln.logik import dnf

    if land is not None and land.upper() not in LAENDER:
        raise click.BadParameter(f"unbekanntes Land „{land}“; erlaubt: {' '.join(LAENDER)}", param_hint="--land")
    regelbasis = lade_regelbasis()
    normen: dict[str, set[str]] = {}
    for g in regelbasis.regeln.values():
        if land is not None and g.regel.land not in (land.upper(), "DE"):
            continue
        for v in g.regel.versionen:
            for konj in dnf(v.bedingung):
                for lit in konj:
                    if lit.feld in MERKMALE:
                        normen.setdefault(lit.feld, set()).add(f"{g.regel.land}: {v.zitat.norm}")
    zeilen = []
    for name, feld in MERKMALE.items():
        if land is not None and name not in normen:
            continue
        art = "ja | nein | unbekannt" if feld.art == "wahrheitswert" else "Zahl | unbekannt"
        zeilen += [f"{name} ({art})", f"  {feld.frage}"]
        if normen.get(name):
            zeilen.append(f"  gefragt von: {'; '.join(sorted(normen[name]))}")
    if not zeilen:
        raise click.UsageError("Die Regeln dieses Landes fragen nach keinem Merkmal.")
    zeilen.append("Setzen: check … --merkmal NAME=ja|nein|unbekannt, oder im Profil unter „merkmale:“; "
                  "nicht angegeben = unbekannt.")
    click.echo(sichtbar("\n".join(zeilen)))


__all__ = ['web_befehl', 'merkmale_befehl']
