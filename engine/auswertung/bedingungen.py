"""Die Semantik der Bedingungen in reinem Python: Auswertung und Begründungstext.

Wird vom Referenz-Auswerter (Orakel der Tests) und von der Erklärung benutzt. Die Entscheidung der
Produktivpfade trifft durable-rules; die Erklärung prüft dabei nach, dass beide übereinstimmen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from engine.begriffe import KOMMUNALTYPEN, typ_und_oberbegriffe
from engine.zahlen import prozent, zahl
from engine.felder import FELDER, anteil
from engine.kommunen.profil import Kommune
from engine.regeln.modell import GEGENTEIL, OPERATOR_ZEICHEN, Alle, Bedingung, Eine, Nicht, RegelBezug, Vergleich, prozentwert


@dataclass
class Inferenz:
    """Was die Inferenz für eine Kommune an einem Tag abgeleitet hat.

    ``tatbestaende``: Regel-id → Index der Version, deren Tatbestand erfüllt ist.
    ``verdraengt``: Regel-id → [(Ausnahme-id, Versionsindex)], die die Regel verdrängen.
    """

    tatbestaende: dict[str, int] = field(default_factory=dict)
    verdraengt: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    def normalisiert(self) -> tuple:
        return (
            tuple(sorted(self.tatbestaende.items())),
            tuple(sorted((k, tuple(sorted(v))) for k, v in self.verdraengt.items())),
        )


def vergleiche(links, op: str, rechts) -> bool:
    if op == "gt":
        return links > rechts
    if op == "gte":
        return links >= rechts
    if op == "lt":
        return links < rechts
    if op == "lte":
        return links <= rechts
    if op == "eq":
        return links == rechts
    if op == "ne":
        return links != rechts
    if op == "in":
        return links in rechts
    raise ValueError(op)  # pragma: no cover - Operatoren sind durch das Modell begrenzt


def istwert(kommune: Kommune, feld_name: str):
    """Der Wert eines Felds; ein unbekanntes Merkmal, nach dem an diesem Stützpunkt nicht gefragt wird, bekommt den
    Füllwert des Fakts (wie in ``kompilieren.kommune_fakt``) – Stützpunkte belegen gefragte Merkmale ausdrücklich."""
    feld = FELDER[feld_name]
    if feld.art == "anteil":
        return anteil(kommune.wert(feld.zaehler), kommune.wert(feld.nenner))
    wert = kommune.wert(feld_name)
    if wert is None and feld.merkmal:
        return False if feld.art == "wahrheitswert" else 0
    return wert


def vergleich_erfuellt(v: Vergleich, kommune: Kommune) -> bool:
    feld = FELDER[v.feld]
    if feld.art == "anteil":
        return vergleiche(istwert(kommune, v.feld), v.op, prozentwert(v.wert))
    if v.feld == "typ":
        typen = typ_und_oberbegriffe(kommune.typ)
        werte = v.wert if isinstance(v.wert, list) else [v.wert]
        treffer = bool(typen & set(werte))
        return treffer if v.op in ("eq", "in") else not treffer
    return vergleiche(istwert(kommune, v.feld), v.op, v.wert)


def regelbezug_erfuellt(b: RegelBezug, inferenz: Inferenz) -> bool:
    if b.zustand == "erfuellt":
        return b.regel in inferenz.tatbestaende
    verdraenger = [a for a, _ in inferenz.verdraengt.get(b.regel, [])]
    return bool(verdraenger) and (b.durch is None or b.durch in verdraenger)


def erfuellt(b: Bedingung | None, kommune: Kommune, inferenz: Inferenz) -> bool:
    if b is None:
        return True
    if isinstance(b, Vergleich):
        return vergleich_erfuellt(b, kommune)
    if isinstance(b, Alle):
        return all(erfuellt(t, kommune, inferenz) for t in b.alle)
    if isinstance(b, Eine):
        return any(erfuellt(t, kommune, inferenz) for t in b.eine)
    if isinstance(b, Nicht):
        return not erfuellt(b.nicht, kommune, inferenz)
    if isinstance(b, RegelBezug):
        return regelbezug_erfuellt(b, inferenz)
    raise TypeError(b)  # pragma: no cover


# ---------------------------------------------------------------- Begründungstexte

def _wert_text(feld_name: str, wert) -> str:
    feld = FELDER[feld_name]
    if feld.art == "wahrheitswert":
        return "ja" if wert else "nein"
    if feld.art == "zahl" and isinstance(wert, int):
        return zahl(wert)
    if feld.art == "anteil":
        return prozent(prozentwert(wert) if not isinstance(wert, Fraction) else wert)
    if feld_name == "typ":
        if isinstance(wert, list):
            return ", ".join(KOMMUNALTYPEN[w].bezeichnung for w in wert)
        return KOMMUNALTYPEN[wert].bezeichnung
    return str(wert)


def vergleich_text(v: Vergleich, kommune: Kommune, negiert: bool = False, unbekannt: frozenset = frozenset()) -> str:
    """„1.234 gemeldete ausländische Einwohner > 1.000“ – mit den tatsächlichen Zahlen; unbekannte Merkmale als solche."""
    feld = FELDER[v.feld]
    op = v.op
    if negiert:
        op = GEGENTEIL.get(op, op)
    name = v.bezeichnung or feld.bezeichnung
    if v.feld in unbekannt:
        return f"{feld.bezeichnung}: unbekannt"
    if feld.art == "wahrheitswert":
        return f"{feld.bezeichnung}: {'ja' if istwert(kommune, v.feld) else 'nein'}"
    if feld.art == "anteil":
        z, n = kommune.wert(feld.zaehler), kommune.wert(feld.nenner)
        ist = anteil(z, n)
        return (
            f"{name} {prozent(ist)} ({zahl(z)} von {zahl(n)} {FELDER[feld.nenner].bezeichnung}n) "
            f"{OPERATOR_ZEICHEN[op]} {_wert_text(v.feld, v.wert)}"
        )
    if v.feld == "typ":
        zeichen = "ist" if op in ("eq", "in") else "ist nicht"
        return f"Kommunaltyp {KOMMUNALTYPEN[kommune.typ].bezeichnung} {zeichen} {_wert_text('typ', v.wert)}"
    if op == "in" or (negiert and v.op == "in"):
        werte = ", ".join(_wert_text(v.feld, w) for w in v.wert)
        zeichen = "∈" if not negiert else "∉"
        return f"{_wert_text(v.feld, kommune.wert(v.feld))} {name} {zeichen} {{{werte}}}"
    ist = istwert(kommune, v.feld)
    return f"{_wert_text(v.feld, ist)} {name} {OPERATOR_ZEICHEN[op]} {_wert_text(v.feld, v.wert)}"


def begruende(b: Bedingung | None, kommune: Kommune, inferenz: Inferenz, regeltitel, negiert: bool = False,
              unbekannt: frozenset = frozenset()) -> list[str]:
    """Zeilen, die zeigen, warum ``b`` (bzw. bei ``negiert`` sein Gegenteil) zutrifft."""
    if b is None:
        return [] if not negiert else ["keine Bedingung (gilt immer)"]
    if isinstance(b, Vergleich):
        return [vergleich_text(b, kommune, negiert, unbekannt)]
    if isinstance(b, Nicht):
        return begruende(b.nicht, kommune, inferenz, regeltitel, not negiert, unbekannt)
    if isinstance(b, (Alle, Eine)):
        teile = b.alle if isinstance(b, Alle) else b.eine
        konjunktiv = isinstance(b, Alle) != negiert  # alle Teile müssen (nicht) zutreffen
        if konjunktiv:
            return [z for t in teile for z in begruende(t, kommune, inferenz, regeltitel, negiert, unbekannt)]
        # disjunktiv: die Teile nennen, die den Ausschlag geben
        zeilen: list[str] = []
        for t in teile:
            if erfuellt(t, kommune, inferenz) != negiert:
                zeilen.extend(begruende(t, kommune, inferenz, regeltitel, negiert, unbekannt))
                break
        return zeilen
    if isinstance(b, RegelBezug):
        titel = regeltitel(b.regel)
        if b.zustand == "erfuellt":
            return [f"{'nicht erfüllt' if negiert else 'erfüllt'}: {titel}"]
        durch = f" durch {regeltitel(b.durch)}" if b.durch else ""
        return [f"{'nicht ' if negiert else ''}entfallen{durch}: {titel}"]
    raise TypeError(b)  # pragma: no cover


def abstand(b: Bedingung | None, kommune: Kommune) -> list[str]:
    """Wie weit die Kommune von einer nicht erreichten Zahlenschwelle entfernt ist („noch 37 bis zur Schwelle“)."""
    if b is None:
        return []
    if isinstance(b, Alle):
        return [z for t in b.alle for z in abstand(t, kommune)]
    if isinstance(b, Eine):
        return [z for t in b.eine for z in abstand(t, kommune)]
    if not isinstance(b, Vergleich) or b.op not in ("gt", "gte") or FELDER[b.feld].merkmal \
            or vergleich_erfuellt(b, kommune):
        return []
    feld = FELDER[b.feld]
    if feld.art == "zahl":
        ziel = b.wert + 1 if b.op == "gt" else b.wert
        fehlt = ziel - kommune.wert(b.feld)
        return [f"noch {zahl(fehlt)} {b.bezeichnung or feld.bezeichnung} bis zur Schwelle ({zahl(ziel)})"]
    if feld.art == "anteil":
        nenner = kommune.wert(feld.nenner)
        schwelle = prozentwert(b.wert) * nenner / 100
        if b.op == "gte":
            ziel = -((-schwelle.numerator) // schwelle.denominator)  # aufrunden
        else:
            ziel = schwelle.numerator // schwelle.denominator + 1
        fehlt = ziel - kommune.wert(feld.zaehler)
        return [
            f"noch {zahl(fehlt)} {FELDER[feld.zaehler].bezeichnung} bis zur Schwelle von {_wert_text(b.feld, b.wert)} "
            f"(bei {zahl(nenner)} {FELDER[feld.nenner].bezeichnung}: {zahl(ziel)})"
        ]
    return []
