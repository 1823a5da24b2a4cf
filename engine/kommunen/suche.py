"""Eine Kommune finden, wie Menschen sie nennen: „Mainz“, „Stadt Mainz“, „Frankfurt/Main“, „Halle (Saale)“,
„Landkreis Leipzig“, „Neukölln“, „6413000“ (AGS ohne führende Null) oder ein zwölfstelliger Regionalschlüssel.

Reihenfolge der Treffer (die erste Stufe mit Treffern entscheidet):

1. **genauer Name** – der Name ohne Zusatz des Verzeichnisses („Mainz, Stadt“ → „Mainz“), bei Kreisen der Name mit
   „Landkreis“/„Kreis“; Schreibvarianten wie „/Main“, „a. M.“, „(Oder)“ zählen als gleich;
2. **Name ohne Beinamen** – „Frankfurt“ für „Frankfurt am Main“ und „Frankfurt (Oder)“, „Offenbach“ auch für den
   Landkreis Offenbach;
3. Namen, die mit dem Suchtext beginnen, dann solche, die ihn enthalten – **nie still gewählt**: ein ungenauer Name
   („Kölln“ gemeint: Köln) ergibt die Liste „Meinten Sie …“, nach Ähnlichkeit geordnet (rapidfuzz), auch wenn nur
   ein Name passt; ebenso ein Tippfehler, zu dem kein Name passt („Kolnn“).

Mehrere Treffer in einer Stufe sind mehrdeutig – außer genau einer ist eine kreisfreie Stadt, ein Stadtstaat oder ein
Bezirk und alle übrigen sind viel kleinere Gemeinden desselben Namens („Schwerin“): dann gilt er, und der Hinweis
nennt die übrigen mit ihrem AGS. Geraten wird nie zwischen Gleichrangigen („Frankfurt“, „Offenbach“).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from engine.kommunen.daten import Datensatz, SucheFehler, ags_aus, alle, anzeigename, beschreibung, finde_ags, \
    nach_ags

# Vorsätze, die eine Art von Kommune meinen (nach der Vergleichsform, siehe ``normal``)
_GEMEINDE_VORSAETZE = ("landeshauptstadt ", "kreisfreie stadt ", "grosse kreisstadt ", "hansestadt ", "stadt ",
                       "gemeinde ", "markt ", "ortsgemeinde ", "flecken ")
_KREIS_VORSAETZE = ("landkreis ", "kreis ", "lkr ", "lk ")  # „Region Hannover“ heißt so: kein Vorsatz
_BEZIRK_VORSAETZE = ("bezirk ", "stadtbezirk ")
_KREISFREI = {"kreisfreie_stadt", "stadtstaat", "bezirk"}
_VIEL_KLEINER = 10  # „viel kleiner“: weniger als ein Zehntel der Einwohner


_ABKUERZUNGEN = ((re.compile(r"\ba\.\s*m\.?(?=\s|$)", re.I), " am Main"),
                 (re.compile(r"\ba\.\s*d\.\s*o\.?(?=\s|$)", re.I), " an der Oder"))


def normal(text: str) -> str:
    """Vergleichsform: Unicode NFC/NFD gleich, klein, Umlaute als ae/oe/ue, ß als ss, Akzente weg, Bindestrich und
    Schrägstrich als Leerzeichen, Punkte weg; „a. M.“ als „am Main“."""
    text = unicodedata.normalize("NFC", text)
    for muster, ersatz in _ABKUERZUNGEN:
        text = muster.sub(ersatz, text)
    text = text.casefold()
    for umlaut, ersatz in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, ersatz)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[-/–]", " ", text).replace(".", " ")
    return " ".join(text.split())


# Beinamen nach Flüssen und Landschaften: „am Main“, „a. M.“, „/Main“, „(Oder)“, „an der Oder“, „i. d. OPf.“ …
_BINDEWOERTER = {"am", "an", "der", "a", "d", "im", "in", "i", "ob", "bei", "b", "vor", "v", "auf", "zu"}


def kern(text: str) -> str:
    """Der Name ohne Bindewörter und Klammern: „Frankfurt am Main“ = „Frankfurt/Main“ = „Frankfurt a. M.“ →
    „frankfurt main“; „Halle (Saale)“ = „Halle/Saale“ → „halle saale“."""
    woerter = normal(text.replace("(", " ").replace(")", " ")).split()
    return " ".join(w for w in woerter if w not in _BINDEWOERTER)


def basis(text: str) -> str:
    """Der Name ohne Beinamen: „Frankfurt am Main“, „Frankfurt (Oder)“ → „frankfurt“."""
    text = re.split(r"\s*\(|\s+(?:am|an der|an|im|in der|in|ob der|ob|bei|vor der|auf der|a\.|i\.)\s+|/",
                    _ohne_zusatz(text), maxsplit=1)[0]
    return normal(text)


def _ohne_zusatz(name: str) -> str:
    return name.split(",")[0].strip() if "," in name else name


@dataclass
class Treffer:
    """Das Ergebnis einer Suche: die gewählte Kommune (oder keine) und die Kandidaten."""

    gewaehlt: Datensatz | None
    kandidaten: list[Datensatz] = field(default_factory=list)
    hinweis: str | None = None  # z. B. welche gleichnamigen Kommunen es noch gibt
    ungenau: bool = False  # kein Name passt genau: die Kandidaten sind Vorschläge nach Ähnlichkeit („Meinten Sie …“)


@dataclass(frozen=True)
class _Eintrag:
    """Die Vergleichsformen einer Kommune, einmal berechnet."""

    d: Datensatz
    genau: frozenset[str]  # Formen, unter denen sie genau gemeint ist
    kern_bloss: str  # der bloße Name ohne Zusatz (für Kreise: ohne „Landkreis“)
    basis: str
    normal_bloss: str
    normal_anzeige: str
    normal_voll: str


@lru_cache(maxsize=1)
def _index() -> tuple[_Eintrag, ...]:
    eintraege = []
    for d in alle():
        genau = {kern(anzeigename(d))}
        if d.art != "kreis":
            genau |= {kern(_ohne_zusatz(d.name)), kern(d.name)}
        eintraege.append(_Eintrag(d, frozenset(genau), kern(_ohne_zusatz(d.name)), basis(d.name),
                                  normal(_ohne_zusatz(d.name)), normal(anzeigename(d)), normal(d.name)))
    return tuple(eintraege)


def _gefiltert(art: str | None) -> list[_Eintrag]:
    return [e for e in _index() if art is None or e.d.art == art]


def _art_und_rest(gesucht: str) -> tuple[str | None, str]:
    for vorsaetze, art in ((_KREIS_VORSAETZE, "kreis"), (_BEZIRK_VORSAETZE, "bezirk"), (_GEMEINDE_VORSAETZE, "gemeinde")):
        for v in vorsaetze:
            if gesucht.startswith(v) and len(gesucht) > len(v):
                return art, gesucht[len(v):]
    return None, gesucht


def _stufen(text: str, art: str | None) -> tuple[list[Datensatz], list[Datensatz], list[Datensatz], list[Datensatz]]:
    """(genau, ohne Beinamen, Anfang, enthalten) – siehe Modulbeschreibung."""
    bestand = _gefiltert(art)
    k, b, n = kern(text), basis(text), normal(text)
    genau = [e.d for e in bestand if k in e.genau or (art == "kreis" and e.kern_bloss == k)]
    ohne_beinamen = [e.d for e in bestand if b == k and e.basis == b and e.d not in genau]
    anfang = [e.d for e in bestand if e.normal_bloss.startswith(n) or e.normal_anzeige.startswith(n)]
    enthalten = [e.d for e in bestand if n in e.normal_voll]
    return genau, ohne_beinamen, anfang, enthalten


def _waehle(text: str, art: str | None) -> Treffer | None:
    genau, ohne_beinamen, anfang, enthalten = _stufen(text, art)
    # Ein klar führender Ort unter allen, die so heißen („Halle“ → Halle (Saale), nicht zwei Dörfer namens Halle)
    alle_gleichnamigen = _eindeutig_sortiert(genau + ohne_beinamen)
    fuehrend = _klar_fuehrend(alle_gleichnamigen)
    if fuehrend is not None:
        andere = [d for d in alle_gleichnamigen if d is not fuehrend]
        return Treffer(fuehrend, alle_gleichnamigen, _hinweis(andere))
    for stufe in (genau, ohne_beinamen):
        if stufe:
            kandidaten = _eindeutig_sortiert(stufe)
            if len(kandidaten) == 1:
                d = kandidaten[0]
                return Treffer(d, kandidaten, None if art else _hinweis(_gleichnamig(d)))
            return Treffer(None, kandidaten)
    teilweise = _eindeutig_sortiert(anfang + enthalten)
    if teilweise:  # ungenau: vorschlagen, nie wählen
        return Treffer(None, _nach_aehnlichkeit(text, teilweise, art), ungenau=True)
    return None


SCHWELLE_AEHNLICH = 75  # rapidfuzz ratio (0–100, Levenshtein): „Kolnn“ ↔ „Köln“ 80, „Kölln“ ↔ „Köln“ 91
HOECHSTENS_VORSCHLAEGE = 10
PUNKTE_ANFANG, PUNKTE_ENTHALTEN = 85, 80  # Teiltreffer neben Tippfehlern: „Mörfelden“ → Mörfelden-Walldorf zuerst


def _aehnlichkeit(n: str, e: _Eintrag) -> float:
    from rapidfuzz import fuzz

    return max(fuzz.ratio(n, e.normal_bloss), fuzz.ratio(n, e.normal_anzeige))


def _nach_aehnlichkeit(text: str, dazu: list[Datensatz], art: str | None) -> list[Datensatz]:
    """Die ähnlichsten Namen (Tippfehler) und die Teiltreffer zusammen, nach Ähnlichkeit; bei gleicher Ähnlichkeit
    Kreise und kreisfreie Städte zuerst, dann nach Einwohnern."""
    from rapidfuzz import fuzz, process

    n = normal(text)
    bestand = _gefiltert(art)
    punkte: dict[str, tuple[float, Datensatz]] = {}
    for formen in ([e.normal_bloss for e in bestand], [e.normal_anzeige for e in bestand]):
        for _, wert, i in process.extract(n, formen, scorer=fuzz.ratio, limit=HOECHSTENS_VORSCHLAEGE * 3,
                                          score_cutoff=SCHWELLE_AEHNLICH):
            d = bestand[i].d
            punkte[d.ags] = max(punkte.get(d.ags, (0.0, d)), (wert, d), key=lambda x: x[0])
    eintrag = {e.d.ags: e for e in bestand}
    for d in dazu:  # Teiltreffer: der Anfang eines Namens ist ein starkes Zeichen, das Innere ein schwächeres
        e = eintrag.get(d.ags)
        teil = (PUNKTE_ANFANG if e and (e.normal_bloss.startswith(n) or e.normal_anzeige.startswith(n))
                else PUNKTE_ENTHALTEN)
        punkte[d.ags] = (max(teil, _aehnlichkeit(n, e) if e else 0.0, punkte.get(d.ags, (0.0, d))[0]), d)
    geordnet = sorted(punkte.values(), key=lambda x: (-round(x[0]), x[1].typ not in _KREISFREI and x[1].art != "kreis",
                                                      -x[1].einwohner, x[1].ags))
    return [d for _, d in geordnet][:max(HOECHSTENS_VORSCHLAEGE, len(dazu) if len(dazu) <= 30 else 30)]


def suche(text: str) -> Treffer:
    """Siehe Modulbeschreibung. Eine Zahl wird als AGS oder Regionalschlüssel gelesen."""
    roh = unicodedata.normalize("NFC", text).strip()
    schluessel = roh.replace(" ", "")
    if schluessel.isdigit():
        return Treffer(nach_ags(ags_aus(schluessel)))
    if not normal(roh):
        return Treffer(None)
    art, rest = _art_und_rest(normal(roh))
    if art and _stufen(roh, None)[0]:  # „Markt Schwaben“ heißt so: der ganze Name geht dem Vorsatz vor
        art = None
    treffer = _waehle(rest, art) if art else None
    if treffer is None or treffer.ungenau:  # ohne Vorsatz, oder „Stadt Leer“ ohne Treffer als Stadt
        ohne = _waehle(roh, None)
        if ohne is not None and (treffer is None or not ohne.ungenau):
            treffer = ohne
    if treffer is None:  # kein Name passt, auch nicht teilweise: Tippfehler? („Kolnn“)
        aehnlich = _nach_aehnlichkeit(roh, [], None)
        return Treffer(None, aehnlich, ungenau=bool(aehnlich))
    return treffer


def _gleichnamig(d: Datensatz) -> list[Datensatz]:
    """Für „Leipzig“ (die Stadt): es gibt auch den Landkreis Leipzig."""
    k = kern(_ohne_zusatz(d.name))
    return [e.d for e in _index() if e.d != d and e.kern_bloss == k]


def _hinweis(andere: list[Datensatz]) -> str | None:
    if not andere:
        return None
    mehr = f"; … und {len(andere) - 5} weitere" if len(andere) > 5 else ""
    return "Gleichnamig: " + "; ".join(f"{beschreibung(d)} (--ags {d.ags})" for d in andere[:5]) + mehr


def _klar_fuehrend(kandidaten: list[Datensatz]) -> Datensatz | None:
    kreisfrei = [d for d in kandidaten if d.typ in _KREISFREI]
    if len(kandidaten) < 2 or len(kreisfrei) != 1:
        return None
    f = kreisfrei[0]
    if all(d.art == "gemeinde" and d.einwohner * _VIEL_KLEINER < f.einwohner for d in kandidaten if d is not f):
        return f
    return None


def _eindeutig_sortiert(ds: list[Datensatz]) -> list[Datensatz]:
    """Ohne Doppelte; Kreise und kreisfreie Städte zuerst, dann nach Einwohnern – die Liste beginnt mit dem Bekannten."""
    gesehen, ergebnis = set(), []
    for d in ds:
        if d.ags not in gesehen:
            gesehen.add(d.ags)
            ergebnis.append(d)
    return sorted(ergebnis, key=lambda d: (d.typ not in _KREISFREI and d.art != "kreis", -d.einwohner, d.ags))


def vorschlaege(text: str, hoechstens: int = 10) -> list[Datensatz]:
    """Vorschläge beim Tippen (Webseite, API): zuerst die eindeutige Wahl der Suche, dann Namen, die mit dem Text
    beginnen, dann solche, die ihn enthalten – Kreise und kreisfreie Städte vorn, dann nach Einwohnern."""
    roh = unicodedata.normalize("NFC", text).strip()[:100]
    schluessel = roh.replace(" ", "")
    if schluessel.isdigit():
        ags = ags_aus(schluessel) if len(schluessel) >= 11 else schluessel
        passend = [e.d for e in _index() if e.d.ags.startswith(ags)]
        return sorted(passend, key=lambda d: (len(d.ags) != 5, d.ags))[:hoechstens]
    n = normal(roh)
    if not n:
        return []
    treffer = suche(roh)
    vorn = [treffer.gewaehlt] if treffer.gewaehlt is not None else []
    anfang = [e.d for e in _index() if e.normal_bloss.startswith(n) or e.normal_anzeige.startswith(n)]
    enthalten = [e.d for e in _index() if n in e.normal_voll]
    ergebnis = vorn + _eindeutig_sortiert(anfang) + _eindeutig_sortiert(enthalten)
    gesehen: set[str] = set()
    eindeutig = []
    for d in ergebnis:
        if d.ags not in gesehen:
            gesehen.add(d.ags)
            eindeutig.append(d)
    return eindeutig[:hoechstens]


def nach_name(text: str) -> Treffer:
    """Genau eine Kommune oder ein ``SucheFehler`` mit der Kandidatenliste (Art, Kreis, Land, AGS)."""
    treffer = suche(text)
    if treffer.gewaehlt is not None:
        return treffer
    if treffer.ungenau:
        zeilen = [f"  --ags {d.ags:<8}  {beschreibung(d)}" for d in treffer.kandidaten]
        raise SucheFehler(f"Keine Gemeinde und kein Kreis heißt genau „{text}“. Meinten Sie:\n" + "\n".join(zeilen)
                          + "\nBitte den Namen genau angeben oder mit --ags wählen.")
    if not treffer.kandidaten:
        raise SucheFehler(f"Keine Gemeinde und kein Kreis heißt „{text}“. Tipp: Teil des Namens angeben "
                          "(z. B. „Offenbach“) oder den AGS mit --ags.")
    zeilen = [f"  --ags {d.ags:<8}  {beschreibung(d)}" for d in treffer.kandidaten[:30]]
    mehr = f"\n  … und {len(treffer.kandidaten) - 30} weitere (genaueren Namen angeben)" if len(treffer.kandidaten) > 30 else ""
    raise SucheFehler(f"„{text}“ ist nicht eindeutig ({len(treffer.kandidaten)} Treffer). Bitte eine Kommune mit "
                      f"--ags wählen:\n" + "\n".join(zeilen) + mehr)


__all__ = ["suche", "nach_name", "finde_ags", "ags_aus", "normal", "kern", "basis", "Treffer", "vorschlaege"]
