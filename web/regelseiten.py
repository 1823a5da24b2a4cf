"""Seiten über die Regeln selbst (``/regeln``, ``/regeln/<id>``, ``/abdeckung``): Bezeichnungen für Menschen statt
Kennungen des Regelformats („Förderprogramm“ statt „foerderung (kann)“), Länder nach ihrem Namen geordnet."""

from __future__ import annotations

from engine.begriffe import LAENDER

_ART = {"pflicht": "Pflicht", "foerderung": "Förderprogramm", "hinweis": "Hinweis"}
_VERB = {"muss": "muss", "soll": "soll", "kann": "kann"}


def regelart(regel) -> str:
    """„Pflicht (muss)“, „Option (kann)“, „Förderprogramm“, „Hinweis“, „Ausnahme“."""
    if regel.art is None:
        return "Ausnahme"
    verb = regel.verbindlichkeit.value if regel.verbindlichkeit else None
    if regel.art.value == "foerderung":
        return "Förderprogramm"
    if verb == "kann":
        return "Option (kann)"
    return f"{_ART[regel.art.value]} ({_VERB[verb]})" if verb else _ART[regel.art.value]


def nach_land(regeln) -> dict[str, list]:
    """Regeln je Land, die Länder nach ihrem Namen (Baden-Württemberg … Thüringen, der Bund als „Bund“ vorn)."""
    ergebnis: dict[str, list] = {}
    for regel in sorted(regeln, key=lambda r: (r.gegenstand, r.titel, r.id)):
        ergebnis.setdefault(regel.land, []).append(regel)
    return dict(sorted(ergebnis.items(), key=lambda t: (t[0] in LAENDER, LAENDER[t[0]].name if t[0] in LAENDER
                                                                          else t[0])))


__all__ = ["regelart", "nach_land"]
