"""Feste Begriffe der Domäne: Länder, Kommunaltypen, Verbindlichkeit, Status.

Die Typen bilden eine kleine Taxonomie: eine Regel für ``gemeinde`` gilt auch für jeden Typ, der
``gemeinde`` als Oberbegriff hat (z. B. später ``grosse_kreisstadt``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from enum import Enum


class Verbindlichkeit(str, Enum):
    """Modalität der Norm: ``muss`` (Pflicht), ``soll`` (Regelpflicht), ``kann`` (Ermessen/Option)."""

    muss = "muss"
    soll = "soll"
    kann = "kann"


class Art(str, Enum):
    pflicht = "pflicht"
    foerderung = "foerderung"
    hinweis = "hinweis"


class Status(str, Enum):
    """``gilt``; ``entfaellt`` = durch eine Ausnahme verdrängt; ``unbestimmt`` = aus den Angaben nicht entscheidbar."""

    gilt = "gilt"
    entfaellt = "entfaellt"
    unbestimmt = "unbestimmt"


class Rolle(str, Enum):
    """``regel``: eigenes Ergebnis; ``ausnahme``: verdrängt die Regeln in ``ausnahme_zu`` (Status ``entfaellt``)."""

    regel = "regel"
    ausnahme = "ausnahme"


class Pruefstatus(str, Enum):
    """Wie gut der zitierte Wortlaut belegt ist; Rechtsberater sehen daran, was noch zu prüfen ist."""

    amtlich = "amtlich"  # mit amtlicher Quelle (Gesetzblatt, Landesportal) abgeglichen
    verifiziert = "verifiziert"  # wörtlich in verlässlicher konsolidierter Fassung gefunden
    sekundaerquelle = "sekundaerquelle"  # Wortlaut nur aus Sekundärquellen (Satzungen, Vorlagen, Presse)
    unverifiziert = "unverifiziert"  # Wortlaut oder Norm nicht gefunden; Inhalt nach Sekundärangaben


PRUEFSTATUS_TEXT = {
    Pruefstatus.amtlich: "mit amtlicher Quelle abgeglichen",
    Pruefstatus.verifiziert: "Wortlaut verifiziert",
    Pruefstatus.sekundaerquelle: "Wortlaut nur aus Sekundärquelle – bitte amtlich prüfen",
    Pruefstatus.unverifiziert: "Wortlaut nicht verifiziert – Inhalt nach Sekundärangaben, bitte prüfen",
}


FLAECHENLAND_TYPEN = ("gemeinde", "kreisfreie_stadt", "landkreis", "verbandsgemeinde")


def _typen(*zusatz: str, ohne: tuple[str, ...] = ()) -> tuple[str, ...]:
    return tuple(t for t in FLAECHENLAND_TYPEN if t not in ohne) + zusatz


@dataclass(frozen=True)
class Land:
    code: str
    name: str
    ags_prefix: str
    stadtstaat: bool = False
    typen: tuple[str, ...] = FLAECHENLAND_TYPEN  # Kommunaltypen, die es in diesem Land gibt


LAENDER: dict[str, Land] = {
    land.code: land
    for land in (
        Land("SH", "Schleswig-Holstein", "01", typen=_typen("amt", "amtsangehoerige_gemeinde")),
        Land("HH", "Hamburg", "02", stadtstaat=True, typen=("stadtstaat", "bezirk")),
        Land("NI", "Niedersachsen", "03", typen=_typen("samtgemeinde", "mitgliedsgemeinde", "grosse_selbstaendige_stadt", "selbstaendige_gemeinde", "stadt_goettingen", "landeshauptstadt_hannover", "region_hannover")),
        Land("HB", "Bremen", "04", stadtstaat=True, typen=("kreisfreie_stadt",)),
        Land("NW", "Nordrhein-Westfalen", "05", typen=_typen("grosse_kreisangehoerige_stadt", "mittlere_kreisangehoerige_stadt", ohne=("verbandsgemeinde",))),
        Land("HE", "Hessen", "06", typen=_typen("sonderstatusstadt", ohne=("verbandsgemeinde",))),
        Land("RP", "Rheinland-Pfalz", "07", typen=_typen("ortsgemeinde", "grosse_kreisangehoerige_stadt")),
        Land("BW", "Baden-Württemberg", "08", typen=_typen("verwaltungsgemeinschaft", "mitgliedsgemeinde", "grosse_kreisstadt")),
        Land("BY", "Bayern", "09", typen=_typen("verwaltungsgemeinschaft", "mitgliedsgemeinde", "grosse_kreisstadt")),
        Land("SL", "Saarland", "10", typen=("gemeinde", "landkreis", "regionalverband_saarbruecken")),
        Land("BE", "Berlin", "11", stadtstaat=True, typen=("stadtstaat", "bezirk")),
        Land("BB", "Brandenburg", "12", typen=_typen("amt", "amtsangehoerige_gemeinde", "ortsgemeinde", "mitgliedsgemeinde")),
        Land("MV", "Mecklenburg-Vorpommern", "13", typen=_typen("amt", "amtsangehoerige_gemeinde")),
        Land("SN", "Sachsen", "14", typen=_typen("verwaltungsgemeinschaft", "mitgliedsgemeinde", "grosse_kreisstadt")),
        Land("ST", "Sachsen-Anhalt", "15", typen=_typen("ortsgemeinde")),
        Land("TH", "Thüringen", "16", typen=_typen("verwaltungsgemeinschaft", "mitgliedsgemeinde")),
    )
}

LAND_NACH_AGS_PREFIX = {land.ags_prefix: land for land in LAENDER.values()}

BUND = "DE"  # Regeln des Bundes (rules/bund/) gelten in jedem Land
ALLE_TYPEN_IN_LAENDERN = tuple(sorted({t for land in LAENDER.values() for t in land.typen}))


def land_name(code: str) -> str:
    return "Bund" if code == BUND else LAENDER[code].name


def typen_im_geltungsbereich(code: str) -> tuple[str, ...]:
    """Kommunaltypen eines Landes; für Bundesregeln alle Typen, die es in irgendeinem Land gibt."""
    return ALLE_TYPEN_IN_LAENDERN if code == BUND else LAENDER[code].typen


@dataclass(frozen=True)
class Kommunaltyp:
    code: str
    bezeichnung: str
    oberbegriffe: tuple[str, ...] = ()
    definition: str = ""


KOMMUNALTYPEN: dict[str, Kommunaltyp] = {
    t.code: t
    for t in (
        Kommunaltyp("gemeinde", "kreisangehörige Gemeinde", definition="Gemeinde, die einem Landkreis (Kreis) angehört."),
        Kommunaltyp(
            "kreisfreie_stadt",
            "kreisfreie Stadt",
            definition="Gemeinde ohne Kreiszugehörigkeit (in Baden-Württemberg: Stadtkreis); nimmt Kreisaufgaben selbst wahr.",
        ),
        Kommunaltyp(
            "landkreis",
            "Landkreis",
            definition="Gemeindeverband und Gebietskörperschaft; in Nordrhein-Westfalen und Schleswig-Holstein „Kreis“.",
        ),
        Kommunaltyp(
            "verbandsgemeinde",
            "Verbandsgemeinde, Amt, Samtgemeinde oder Verwaltungsgemeinschaft",
            definition="Gemeindeverband unterhalb des Kreises, dem kreisangehörige Gemeinden angehören (Oberbegriff).",
        ),
        Kommunaltyp("amt", "Amt", ("verbandsgemeinde",), "Amt nach der Amtsordnung (BB, MV, SH)."),
        Kommunaltyp("samtgemeinde", "Samtgemeinde", ("verbandsgemeinde",), "Samtgemeinde nach §§ 97 ff. NKomVG (NI)."),
        Kommunaltyp(
            "verwaltungsgemeinschaft",
            "Verwaltungsgemeinschaft oder Verwaltungsverband",
            ("verbandsgemeinde",),
            "Verwaltungsgemeinschaft (BW § 59 GemO, BY VGemO, SN SächsKomZG, TH) oder Verwaltungsverband.",
        ),
        Kommunaltyp(
            "amtsangehoerige_gemeinde",
            "amtsangehörige Gemeinde",
            ("gemeinde",),
            "Gemeinde, die einem Amt angehört (SH, BB, MV; in SH auch einer Kirchspielslandgemeinde); das Amt führt ihre "
            "Verwaltungsgeschäfte und erfüllt die ihm übertragenen Aufgaben.",
        ),
        Kommunaltyp(
            "ortsgemeinde",
            "Ortsgemeinde (Mitglied einer Verbandsgemeinde)",
            ("gemeinde",),
            "Mitgliedsgemeinde einer Verbandsgemeinde (RP §§ 64 ff. GemO, ST §§ 85 ff. KVG LSA, BB Verbandsgemeindegesetz); "
            "die Verbandsgemeinde nimmt die ihr gesetzlich übertragenen Aufgaben wahr.",
        ),
        Kommunaltyp(
            "mitgliedsgemeinde",
            "Mitgliedsgemeinde (Samtgemeinde, Verwaltungsgemeinschaft, Verwaltungsverband)",
            ("gemeinde",),
            "Mitgliedsgemeinde einer Samtgemeinde (NI) oder einer Verwaltungsgemeinschaft, eines Verwaltungsverbands oder "
            "einer erfüllenden Gemeinde (BY, BW, SN, TH, BB), die nicht selbst die Geschäfte führt.",
        ),
        Kommunaltyp(
            "grosse_kreisstadt",
            "Große Kreisstadt",
            ("gemeinde",),
            "Kreisangehörige Stadt mit Sonderstatus: BW § 3 Abs. 2 GemO (ab 20.000 Einwohnern auf Antrag), "
            "BY Art. 5a GO, SN § 3 Abs. 2 SächsGemO (ab 17.500 Einwohnern).",
        ),
        Kommunaltyp(
            "grosse_kreisangehoerige_stadt",
            "Große kreisangehörige Stadt",
            ("gemeinde",),
            "NW § 4 GO NRW (mehr als 60.000 Einwohner, durch Rechtsverordnung bestimmt); RP § 6 GemO.",
        ),
        Kommunaltyp(
            "mittlere_kreisangehoerige_stadt",
            "Mittlere kreisangehörige Stadt",
            ("gemeinde",),
            "NW § 4 GO NRW (mehr als 20.000 Einwohner, durch Rechtsverordnung bestimmt).",
        ),
        Kommunaltyp(
            "grosse_selbstaendige_stadt",
            "Große selbständige Stadt",
            ("gemeinde",),
            "NI § 14 Abs. 5 NKomVG (Celle, Cuxhaven, Goslar, Hameln, Hildesheim, Lingen, Lüneburg).",
        ),
        Kommunaltyp(
            "selbstaendige_gemeinde",
            "Selbständige Gemeinde",
            ("gemeinde",),
            "NI § 14 Abs. 3 NKomVG (mehr als 30.000 Einwohner, auf Antrag).",
        ),
        Kommunaltyp(
            "stadt_goettingen",
            "Stadt Göttingen (Sonderstatus)",
            ("gemeinde",),
            "NI: kreisangehörig, auf die kreisfreie Städte betreffenden Vorschriften verwiesen (§ 16 NKomVG).",
        ),
        Kommunaltyp(
            "landeshauptstadt_hannover",
            "Landeshauptstadt Hannover",
            ("gemeinde",),
            "NI: regionsangehörige Stadt mit der Rechtsstellung einer kreisfreien Stadt (§ 15 Abs. 2 NKomVG).",
        ),
        Kommunaltyp(
            "sonderstatusstadt",
            "Sonderstatusstadt",
            ("gemeinde",),
            "HE § 4a HGO: kreisangehörige Gemeinde mit mehr als 50.000 Einwohnern.",
        ),
        Kommunaltyp("region_hannover", "Region Hannover", ("landkreis",), "NI §§ 159 ff. NKomVG: Gemeindeverband mit Kreisaufgaben."),
        Kommunaltyp(
            "regionalverband_saarbruecken",
            "Regionalverband Saarbrücken",
            ("landkreis",),
            "SL § 194 ff. KSVG: Gemeindeverband mit den Aufgaben eines Landkreises.",
        ),
        Kommunaltyp("bezirk", "Bezirk (Berlin, Hamburg)", definition="Bezirk eines Stadtstaats; keine eigene Gebietskörperschaft."),
        Kommunaltyp(
            "stadtstaat",
            "Stadtstaat (Land und Gemeinde zugleich)",
            definition="Berlin und Hamburg als Einheitsgemeinde; Bremen besteht aus den Stadtgemeinden Bremen und Bremerhaven.",
        ),
    )
}


def typ_und_oberbegriffe(typ: str) -> set[str]:
    """Der Typ selbst und alle Oberbegriffe (transitiv)."""
    gesehen: set[str] = set()
    offen = [typ]
    while offen:
        t = offen.pop()
        if t in gesehen:
            continue
        gesehen.add(t)
        offen.extend(KOMMUNALTYPEN[t].oberbegriffe)
    return gesehen


def konkrete_typen(regel_typen: list[str] | tuple[str, ...]) -> list[str]:
    """Alle Typen, auf die eine Regel mit diesen Typen anwendbar ist (Untertypen eingeschlossen)."""
    return list(_konkrete_typen(tuple(regel_typen)))


@lru_cache(maxsize=None)
def _konkrete_typen(regel_typen: tuple[str, ...]) -> tuple[str, ...]:
    gewuenscht = set(regel_typen)
    return tuple(sorted(t for t in KOMMUNALTYPEN if typ_und_oberbegriffe(t) & gewuenscht))


def typ_im_land(typ: str, land: str) -> bool:
    return typ in LAENDER[land].typen


@dataclass(frozen=True)
class Gegenstand:
    code: str
    bezeichnung: str
    vollstaendig: bool  # muss jede Kommune jedes Typs dazu eine Aussage bekommen? (Lückenanalyse)
    kurz: str = ""  # Überschrift in Berichten


GEGENSTAENDE: dict[str, Gegenstand] = {
    g.code: g
    for g in (
        Gegenstand(
            "integrationsgremium",
            "Integrationsgremium (Ausländer-/Integrationsbeirat, Integrationsrat, -ausschuss, -kommission, -beauftragte)",
            vollstaendig=True,
            kurz="Integrationsgremium",
        ),
        Gegenstand("auslaenderbehoerde", "Ausländerbehörde (§ 71 Abs. 1 AufenthG i. V. m. Landesrecht)", vollstaendig=True,
                   kurz="Ausländerbehörde"),
        Gegenstand("unterbringung", "Aufnahme und Unterbringung Geflüchteter (Landesaufnahmegesetz)", vollstaendig=True,
                   kurz="Unterbringung Geflüchteter"),
        Gegenstand("asylblg", "Leistungsbehörde nach dem Asylbewerberleistungsgesetz (§ 10 AsylbLG)", vollstaendig=False,
                   kurz="Leistungen nach dem AsylbLG"),
        Gegenstand("einbuergerung", "Staatsangehörigkeits- und Einbürgerungsbehörde", vollstaendig=False,
                   kurz="Einbürgerung"),
        Gegenstand("jugendamt", "Örtlicher Träger der Jugendhilfe / Jugendamt (§ 69 SGB VIII)", vollstaendig=False,
                   kurz="Jugendamt"),
        Gegenstand("bundesrecht", "Bundesrechtlicher Rahmen (Hinweise)", vollstaendig=False, kurz="Bundesrecht"),
        Gegenstand("integrationskoordination", "Landesförderung kommunaler Integrationsstrukturen", vollstaendig=False,
                   kurz="Integrationskoordination (Landesförderung)"),
    )
}


# Die Gegenstände, zu denen jede Kommune jedes Landes eine Aussage bekommen soll (``regeln abdeckung``, ``luecken``)
ABGEDECKTE_GEGENSTAENDE = ("integrationsgremium", "auslaenderbehoerde", "unterbringung", "asylblg", "einbuergerung",
                           "jugendamt", "integrationskoordination")


AUFGABENTYPEN = {
    "pflichtaufgabe_nach_weisung": "Pflichtaufgabe zur Erfüllung nach Weisung",
    "auftragsangelegenheit": "Auftragsangelegenheit / übertragener Wirkungskreis",
    "pflichtige_selbstverwaltungsaufgabe": "pflichtige Selbstverwaltungsaufgabe",
    "staatliche_aufgabe": "staatliche Aufgabe (z. B. Landratsamt als Staatsbehörde)",
    "freiwillige_selbstverwaltungsaufgabe": "freiwillige Selbstverwaltungsaufgabe",
}
