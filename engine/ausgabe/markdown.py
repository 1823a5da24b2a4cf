"""Der Bericht als Markdown für Ratsvorlagen: die Blöcke des Dokuments (``dokument.bloecke``) in Markdown gesetzt.

Ein Absatz ist eine Zeile (nie hart umbrochen: umbrochene Zeilen würden in einer Liste zu eigenen Punkten);
wörtlicher Normtext steht als Zitat in Anführungszeichen, eine Inhaltsangabe ausdrücklich als „sinngemäß“.
"""

from __future__ import annotations

from engine.ausgabe.aufbau import baue
from engine.ausgabe.dokument import Block, Teil, bloecke
from engine.auswertung.bericht import Bericht
from engine.zahlen import sichtbar


def md(text: str) -> str:
    """Text für eine Markdown-Zeile: Tabellen- und Formatzeichen maskiert, Zeilenumbrüche entfernt."""
    for zeichen in ("\\", "|", "*", "_", "`", "[", "]", "<", ">", "#"):
        text = text.replace(zeichen, "\\" + zeichen)
    return " ".join(text.split())


def _teile(teile: list[Teil]) -> str:
    ergebnis = ""
    for t in teile:
        text = md(t.text)
        if not text:
            continue
        rand_l, rand_r = " " * (len(t.text) - len(t.text.lstrip())), " " * (len(t.text) - len(t.text.rstrip()))
        if t.url:
            text = f"[{text}]({t.url})"
        if t.fett:
            text = f"**{text}**"
        if t.kursiv:
            text = f"*{text}*"
        ergebnis += rand_l + text + rand_r
    return ergebnis.strip()


def _block(b: Block) -> list[str]:
    if b.art == "titel":
        return [f"# {_teile(b.teile)}", ""]
    if b.art == "ueberschrift":
        return [f"{'#' * b.ebene} {_teile(b.teile)}", ""]
    if b.art == "liste":
        return [f"- {_teile(p)}" for p in b.punkte] + [""]
    if b.art == "zitat":
        return [f"> {_teile(b.teile)}", ""]
    if b.art == "tabelle":
        zeilen = ["| " + " | ".join(b.kopf) + " |", "|" + "---|" * len(b.kopf)]
        zeilen += ["| " + " | ".join(_teile(zelle) for zelle in z) + " |" for z in b.zeilen]
        return zeilen + [""]
    if b.art == "klein":
        return [f"*{_teile(b.teile)}*", ""]
    return [_teile(b.teile), ""]


def markdown_bericht(bericht: Bericht, ausfuehrlich: bool = False) -> str:
    zeilen = [z for b in bloecke(baue(bericht), ausfuehrlich) for z in _block(b)]
    return sichtbar("\n".join(zeilen).rstrip("\n") + "\n")


__all__ = ["markdown_bericht", "md"]
