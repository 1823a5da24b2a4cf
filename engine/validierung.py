"""pydantic-Validierung mit deutschen Meldungen an der richtigen Stelle der Datei."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel, ValidationError

from engine.fehler import EingabeFehler, Meldung
from engine.zahlen import zahl
from engine.yamlquelle import Dokument, pfad_text

M = TypeVar("M", bound=BaseModel)

_MELDUNGEN = {
    "missing": "Pflichtfeld fehlt.",
    "extra_forbidden": "Unbekanntes Feld.",
    "int_type": "Muss eine ganze Zahl sein.",
    "int_parsing": "Muss eine ganze Zahl sein.",
    "int_from_float": "Muss eine ganze Zahl sein (ohne Nachkommastellen).",
    "bool_type": "Muss true oder false sein.",
    "bool_parsing": "Muss true oder false sein.",
    "string_type": "Muss ein Text sein.",
    "list_type": "Muss eine Liste sein.",
    "dict_type": "Muss eine Abbildung (Schlüssel: Wert) sein.",
    "model_type": "Muss eine Abbildung (Schlüssel: Wert) sein.",
    "model_attributes_type": "Muss eine Abbildung (Schlüssel: Wert) sein.",
    "date_type": "Muss ein Datum im Format JJJJ-MM-TT sein.",
    "date_parsing": "Muss ein Datum im Format JJJJ-MM-TT sein.",
    "date_from_datetime_parsing": "Muss ein Datum im Format JJJJ-MM-TT sein.",
    "float_type": "Muss eine Zahl sein.",
    "float_parsing": "Muss eine Zahl sein.",
}


def _text(fehler: dict) -> str:
    art = fehler["type"]
    ctx = fehler.get("ctx") or {}
    if art in _MELDUNGEN:
        return _MELDUNGEN[art]
    if art == "literal_error":
        return f"Ungültiger Wert; erlaubt: {ctx.get('expected', '')}."
    if art == "enum":
        return f"Ungültiger Wert; erlaubt: {ctx.get('expected', '')}."
    if art == "string_pattern_mismatch":
        return f"Hat nicht die erwartete Form (Muster {ctx.get('pattern')})."
    if art == "string_too_short":
        return f"Zu kurz (mindestens {ctx.get('min_length')} Zeichen)."
    if art == "too_short":
        return f"Braucht mindestens {ctx.get('min_length')} Eintrag/Einträge."
    if art == "greater_than_equal":
        return f"Muss mindestens {_zahl(ctx.get('ge'))} sein."
    if art == "greater_than":
        return f"Muss größer als {_zahl(ctx.get('gt'))} sein."
    if art == "less_than_equal":
        return f"Darf höchstens {_zahl(ctx.get('le'))} sein."
    if art == "less_than":
        return f"Muss kleiner als {_zahl(ctx.get('lt'))} sein."
    if art == "string_too_long":
        return f"Zu lang (höchstens {_zahl(ctx.get('max_length'))} Zeichen)."
    if art == "too_long":
        return f"Zu viele Einträge (höchstens {_zahl(ctx.get('max_length'))})."
    if art == "finite_number":
        return "Muss eine endliche Zahl sein (nicht unendlich oder NaN)."
    if art in ("int_from_float", "float_from_int"):
        return "Muss eine ganze Zahl sein (ohne Nachkommastellen)."
    if art in ("date_from_datetime_inexact", "datetime_type", "datetime_parsing"):
        return "Muss ein Datum im Format JJJJ-MM-TT sein (ohne Uhrzeit)."
    if art in ("frozen_set_type", "set_type", "tuple_type"):
        return "Muss eine Liste sein."
    if art == "union_tag_invalid" or art == "union_tag_not_found":
        return "Unbekannte Art; erlaubt: " + str(ctx.get("expected_tags", "")) + "."
    if art == "value_error":
        text = str(ctx.get("error", fehler["msg"]))
        return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
    if art == "bedingung":
        return fehler["msg"] + "."
    return f"Ungültiger Wert (Prüfregel „{art}“)."


def _zahl(wert) -> str:
    return zahl(wert) if isinstance(wert, int) else str(wert)


def deutsche_meldungen(fehler: ValidationError) -> list[str]:
    """Die Meldungen eines ``ValidationError`` auf Deutsch, mit Feldnamen – für Eingaben ohne Datei (Optionen)."""
    meldungen = []
    for f in fehler.errors(include_url=False):
        feld = ".".join(str(x) for x in f.get("loc", ()) if not isinstance(x, int))
        meldungen.append((f"Feld „{feld}“: " if feld else "") + _text(f))
    return meldungen




def validiere(modell: type[M], dokument: Dokument, kontext: dict | None = None) -> M:
    """Dokument gegen ``modell`` prüfen; bei Fehlern ein ``EingabeFehler`` mit allen Meldungen."""
    try:
        return modell.model_validate(dokument.daten, context=kontext)
    except ValidationError as exc:
        meldungen = []
        gesehen = set()
        for fehler in exc.errors(include_url=False):
            loc = _bereinige(fehler["loc"], dokument)
            schluessel = (loc, fehler["type"])
            if schluessel in gesehen:
                continue
            gesehen.add(schluessel)
            meldungen.append(Meldung(dokument.fundstelle(loc, pfad_text(loc) or None), _text(fehler)))
        raise EingabeFehler(meldungen) from None


def _bereinige(loc: tuple, dokument: Dokument) -> tuple:
    """Tags diskriminierter Unionen aus dem pydantic-Pfad entfernen: sie stehen nicht in der Datei.

    pydantic schreibt z. B. ``bedingung.feld.wert``, wobei das erste ``feld`` der Tag der Union ist. Ein Pfadteil ist
    ein Tag, wenn schon der nächste Pfadteil ein Schlüssel desselben Knotens ist.
    """
    ergebnis: list = []
    knoten = dokument.daten
    for i, teil in enumerate(loc):
        naechster = loc[i + 1] if i + 1 < len(loc) else None
        if isinstance(teil, str) and isinstance(knoten, dict) and isinstance(naechster, str) and naechster in knoten:
            continue
        ergebnis.append(teil)
        if isinstance(knoten, dict) and teil in knoten:
            knoten = knoten[teil]
        elif isinstance(knoten, list) and isinstance(teil, int) and 0 <= teil < len(knoten):
            knoten = knoten[teil]
        else:
            knoten = None
    return tuple(ergebnis)
