"""Ein Profil gegen die mitgelieferten Daten abgleichen: Nennt es einen AGS, müssen Typ und Name zu der Kommune
passen, die diesen AGS trägt – sonst stünde im Bericht der Ausländerbeirat von Offenbach unter dem Namen einer
anderen Stadt, oder ein Kreis würde als Gemeinde geprüft. Der Stichtag der Zahlen liegt nicht in der Zukunft.

Nur für Profile aus Dateien und aus dem Netz; Profile aus den mitgelieferten Daten stimmen schon."""

from __future__ import annotations

import datetime as dt
import re

from engine.begriffe import KOMMUNALTYPEN, typ_und_oberbegriffe
from engine.fehler import Meldung
from engine.kommunen.daten import Datensatz, SucheFehler, anzeigename, beschreibung, nach_ags
from engine.kommunen.profil import Kommune
from engine.yamlquelle import Dokument

_KLAMMER = re.compile(r"\s*\([^)]*\)\s*$")  # „Köln (Variante: Integrationsausschuss gebildet)“
_GLEICH = {"sankt": "st", "saint": "st"}  # „Sankt Ingbert“ = „St. Ingbert“


def pruefe_gegen_daten(kommune: Kommune, dokument: Dokument, heute: dt.date | None = None) -> list[Meldung]:
    meldungen = []
    heute = heute or dt.date.today()
    if kommune.stichtag_daten is not None and kommune.stichtag_daten > heute:
        meldungen.append(Meldung(dokument.fundstelle(("stichtag_daten",), "stichtag_daten"),
                                 f"Der Stichtag der Zahlen ({kommune.stichtag_daten:%d.%m.%Y}) liegt in der Zukunft.",
                                 hinweis="Gemeint ist der Tag, an dem die Zahlen erhoben wurden (z. B. 31.12.2024); "
                                         "den Rechtsstand wählt --stichtag."))
    stand = getattr(kommune, "auslaendische_einwohner_stand", None)
    if stand is not None and stand > heute:
        meldungen.append(Meldung(dokument.fundstelle(("auslaendische_einwohner_stand",), "auslaendische_einwohner_stand"),
                                 f"Der Stand der eigenen Zahl ({stand:%d.%m.%Y}) liegt in der Zukunft."))
    if kommune.ags is None:
        return meldungen
    try:
        d = nach_ags(kommune.ags)
    except SucheFehler:
        meldungen.append(Meldung(dokument.fundstelle(("ags",), "ags"),
                                 f"Den AGS {kommune.ags} gibt es im Gemeindeverzeichnis (Gebietsstand 31.12.2024) nicht.",
                                 hinweis="Den richtigen AGS eintragen (kommunalpflichten check --name …) oder das Feld "
                                         "weglassen – die Zahlen des Profils genügen."))
        return meldungen
    if not typ_passt(kommune.typ, d):
        meldungen.append(Meldung(dokument.fundstelle(("typ",), "typ"),
                                 f"Der AGS {kommune.ags} gehört zu {beschreibung(d)}; der Kommunaltyp "
                                 f"„{kommune.typ}“ ({KOMMUNALTYPEN[kommune.typ].bezeichnung}) passt nicht dazu.",
                                 hinweis=f"typ: {d.typ} eintragen oder den AGS weglassen."))
    if not name_passt(kommune.name, d):
        meldungen.append(Meldung(dokument.fundstelle(("name",), "name"),
                                 f"Der AGS {kommune.ags} gehört zu „{anzeigename(d)}“, nicht zu „{kommune.name[:100]}“.",
                                 hinweis="Den Namen der Kommune mit diesem AGS nennen (ein Zusatz in Klammern ist "
                                         "erlaubt, z. B. „(Variante: …)“) oder den AGS weglassen."))
    return meldungen


def typ_passt(typ: str, d: Datensatz) -> bool:
    """Derselbe Typ, ein Ober- oder Untertyp (Große Kreisstadt ↔ Gemeinde), oder der Typ nach einer belegten
    Statusänderung (Hanau: kreisfrei seit 2026)."""
    from engine.kommunen import tatsachen

    bekannt = {d.typ} | {t.typ_ab for t in _typaenderungen(tatsachen, d.ags)}
    return any(typ in typ_und_oberbegriffe(b) or b in typ_und_oberbegriffe(typ) for b in bekannt)


def _typaenderungen(tatsachen, ags: str) -> list:
    typen = tatsachen.listen()[1]
    return [t for t in typen.typaenderungen if t.ags == ags] if typen is not None else []


def name_passt(name: str, d: Datensatz) -> bool:
    """Der Name ohne Beinamen („Offenbach“ für Offenbach am Main) steht im Profilnamen („Sankt“ = „St.“), oder die
    Suche findet unter dem Profilnamen diese Kommune."""
    from engine.kommunen.suche import basis, normal, vorschlaege

    ohne_zusatz = _KLAMMER.sub("", name).strip() or name
    woerter = [_GLEICH.get(w, w) for w in normal(ohne_zusatz).split()]
    gesucht = [_GLEICH.get(w, w) for w in basis(d.name).split()]
    if gesucht and any(woerter[i:i + len(gesucht)] == gesucht for i in range(len(woerter))):
        return True
    return any(v.ags == d.ags for v in vorschlaege(ohne_zusatz, 30))


__all__ = ["pruefe_gegen_daten", "typ_passt", "name_passt"]
