"""Prüfung der Regeln untereinander (beim Laden, ``basis.sammle_regelbasis``): Verweise auf Ausnahmen und andere
Regeln, Felder und Werte der Bedingungen, Grenzen für durable-rules (in-Listen, Größe der Normalform) und Kreise über
Regelbezüge – jede Meldung mit Datei, Zeile und Spalte.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.begriffe import BUND, GEGENSTAENDE, KOMMUNALTYPEN, Rolle, land_name, typen_im_geltungsbereich
from engine.fehler import Meldung
from engine.felder import FELDER, OBERGRENZE_EINWOHNER
from engine.regeln.logik import dnf_groesse
from engine.regeln.modell import Alle, Bedingung, Eine, Nicht, Regel, RegelBezug, Vergleich, prozentwert
from engine.yamlquelle import Dokument, Pfad
from engine.zahlen import zahl

MAX_IN_WERTE = 100  # durable-rules: in-Listen ab ~520 Werten hängen für immer oder scheitern (Fehler 113)
MAX_FAELLE_JE_BEDINGUNG = 256  # Konjunktionen der Normalform; die Regelbasis braucht höchstens 4


@dataclass(frozen=True)
class GeladeneRegel:
    regel: Regel
    dokument: Dokument

    @property
    def datei(self) -> str:
        return self.dokument.datei


def pruefe_regel(geladene: GeladeneRegel, alle: dict[str, GeladeneRegel]) -> list[Meldung]:
    """Semantische Prüfungen einer Regel im Kontext aller Regeln."""
    regel, dok = geladene.regel, geladene.dokument
    meldungen: list[Meldung] = []
    for index, ziel in enumerate(regel.ausnahme_zu):
        pfad: Pfad = ("ausnahme_zu", index)
        if ziel not in alle:
            meldungen.append(Meldung(dok.fundstelle(pfad), f"Die Ausnahme verweist auf die unbekannte Regel „{ziel}“."))
        elif alle[ziel].regel.rolle != Rolle.regel:
            meldungen.append(Meldung(dok.fundstelle(pfad), f"„{ziel}“ ist selbst eine Ausnahme; Ausnahmen gelten nur zu Regeln."))
        elif alle[ziel].regel.land not in (regel.land, BUND):
            meldungen.append(Meldung(dok.fundstelle(pfad), f"„{ziel}“ gehört zu einem anderen Land."))
    # Zeitachse: jede Fassung mit Ende nach Beginn, aufsteigend und ohne Überschneidung
    for index, version in enumerate(regel.versionen):
        if version.gueltig_bis is not None and version.gueltig_bis < version.gueltig_ab:
            meldungen.append(
                Meldung(
                    dok.fundstelle(("versionen", index, "gueltig_bis")),
                    f"Das Ende ({version.gueltig_bis:%d.%m.%Y}) liegt vor dem Beginn ({version.gueltig_ab:%d.%m.%Y}).",
                    hinweis="gueltig_bis ist der letzte Tag der Fassung (einschließlich) und darf nicht vor gueltig_ab liegen.",
                )
            )
    for index in range(1, len(regel.versionen)):
        vorher, jetzt = regel.versionen[index - 1], regel.versionen[index]
        if vorher.gueltig_bis is None or jetzt.gueltig_ab <= vorher.gueltig_bis or jetzt.gueltig_ab < vorher.gueltig_ab:
            meldungen.append(
                Meldung(
                    dok.fundstelle(("versionen", index, "gueltig_ab"), f"versionen[{index}].gueltig_ab"),
                    "Die Version überschneidet sich mit der vorigen oder steht nicht in zeitlicher Reihenfolge.",
                    hinweis="Versionen aufsteigend ordnen; die vorige braucht ein gueltig_bis vor diesem gueltig_ab.",
                )
            )
    for index, version in enumerate(regel.versionen):
        if version.bedingung is not None:
            meldungen.extend(
                _pruefe_bedingung(version.bedingung, ("versionen", index, "bedingung"), regel, dok, alle, oben=True)
            )
            faelle = max(dnf_groesse(version.bedingung), dnf_groesse(version.bedingung, negiert=True))
            if faelle > MAX_FAELLE_JE_BEDINGUNG:
                meldungen.append(Meldung(
                    dok.fundstelle(("versionen", index, "bedingung")),
                    f"Die Bedingung zerfällt in {zahl(faelle)} Einzelfälle (Und über Oder ausmultipliziert); erlaubt "
                    f"sind höchstens {MAX_FAELLE_JE_BEDINGUNG}.",
                    hinweis="Vereinfachen Sie die Verschachtelung von alle/eine/nicht oder teilen Sie die Regel auf."))
    for i, typ in enumerate(regel.typen):
        if typ not in typen_im_geltungsbereich(regel.land):
            meldungen.append(
                Meldung(
                    dok.fundstelle(("typen", i), "typen"),
                    f"Den Kommunaltyp „{typ}“ gibt es in {land_name(regel.land)} nicht.",
                    hinweis=f"Dort gibt es: {', '.join(typen_im_geltungsbereich(regel.land))}.",
                )
            )
    if regel.foerderung is not None:
        parameter = regel.foerderung.parameter
        for i, p in enumerate(parameter):
            stelle = dok.fundstelle(("foerderung", "parameter", i))
            if p.gueltig_bis is not None and p.gueltig_bis < p.gueltig_ab:
                meldungen.append(Meldung(stelle, "Das Ende des Parameters liegt vor seinem Beginn."))
            if i and (parameter[i - 1].gueltig_bis is None or p.gueltig_ab <= parameter[i - 1].gueltig_bis):
                meldungen.append(Meldung(stelle, "Die Betragsparameter überschneiden sich oder sind nicht aufsteigend geordnet."))
            benoetigt = {"festbetrag": ["betrag"], "je_stelle": ["betrag"], "anteil": ["foerdersatz"],
                         "staffel": ["staffel"], "offen": ["abhaengig_von"]}[p.berechnung]
            if p.berechnung == "anteil" and p.bemessungsgrenze is None and p.hoechstbetrag is None:
                meldungen.append(Meldung(stelle, "Berechnung „anteil“ braucht bemessungsgrenze oder hoechstbetrag."))
            for feld in benoetigt:
                if not getattr(p, feld):
                    meldungen.append(Meldung(stelle, f"Berechnung „{p.berechnung}“ braucht das Feld {feld}."))
            if p.foerdersatz is not None:  # die Stellen prüft schon ihr Typ (``format.Stellenzahl``)
                try:
                    if prozentwert(p.foerdersatz) < 0:
                        raise ValueError
                except ValueError:
                    meldungen.append(Meldung(stelle, "foerdersatz muss eine Zahl ≥ 0 sein."))
    if regel.gegenstand not in GEGENSTAENDE:
        meldungen.append(
            Meldung(
                dok.fundstelle(("gegenstand",), "gegenstand"),
                f"Unbekannter Gegenstand „{regel.gegenstand}“.",
                hinweis=f"Bekannt sind: {', '.join(GEGENSTAENDE)} (engine/begriffe.py).",
            )
        )
    for i, anderer in enumerate(regel.vereinbar_mit):
        if anderer not in alle:
            meldungen.append(Meldung(dok.fundstelle(("vereinbar_mit", i)), f"Unbekannte Regel „{anderer}“."))
    return meldungen


def _pruefe_bedingung(
    bedingung: Bedingung, pfad: Pfad, regel: Regel, dok: Dokument, alle: dict[str, GeladeneRegel], oben: bool
) -> list[Meldung]:
    meldungen: list[Meldung] = []
    if isinstance(bedingung, Vergleich):
        meldungen.extend(_pruefe_vergleich(bedingung, pfad, dok))
    elif isinstance(bedingung, Alle):
        for i, teil in enumerate(bedingung.alle):
            meldungen.extend(_pruefe_bedingung(teil, pfad + ("alle", i), regel, dok, alle, oben=oben))
    elif isinstance(bedingung, Eine):
        for i, teil in enumerate(bedingung.eine):
            meldungen.extend(_pruefe_bedingung(teil, pfad + ("eine", i), regel, dok, alle, oben=False))
    elif isinstance(bedingung, Nicht):
        meldungen.extend(_pruefe_bedingung(bedingung.nicht, pfad + ("nicht",), regel, dok, alle, oben=False))
    elif isinstance(bedingung, RegelBezug):
        if not oben:
            meldungen.append(
                Meldung(
                    dok.fundstelle(pfad + ("regel",)),
                    "Ein Bezug auf eine andere Regel darf nicht unter „eine“ oder „nicht“ stehen.",
                    hinweis="Schlussfolgerungen werden vorwärts verkettet und nur positiv verknüpft; "
                    "formulieren Sie die Bedingung über die Profilfelder oder als eigene Ausnahme-Regel.",
                )
            )
        ziel = alle.get(bedingung.regel)
        if ziel is None:
            meldungen.append(Meldung(dok.fundstelle(pfad + ("regel",)), f"Unbekannte Regel „{bedingung.regel}“."))
        else:
            if ziel.regel.land not in (regel.land, BUND):
                meldungen.append(Meldung(dok.fundstelle(pfad + ("regel",)), f"„{bedingung.regel}“ gehört zu einem anderen Land."))
            if ziel.regel.rolle != Rolle.regel:
                meldungen.append(
                    Meldung(dok.fundstelle(pfad + ("regel",)), f"„{bedingung.regel}“ ist eine Ausnahme; verweisen Sie auf die Regel, die sie verdrängt.")
                )
        if bedingung.durch is not None:
            if bedingung.zustand != "entfaellt":
                meldungen.append(Meldung(dok.fundstelle(pfad + ("durch",)), "„durch“ ist nur bei zustand: entfaellt sinnvoll."))
            durch = alle.get(bedingung.durch)
            if durch is None or bedingung.regel not in durch.regel.ausnahme_zu:
                meldungen.append(
                    Meldung(
                        dok.fundstelle(pfad + ("durch",)),
                        f"„{bedingung.durch}“ ist keine Ausnahme zu „{bedingung.regel}“.",
                    )
                )
    return meldungen


def _pruefe_vergleich(v: Vergleich, pfad: Pfad, dok: Dokument) -> list[Meldung]:
    feld = FELDER.get(v.feld)
    stelle = dok.fundstelle(pfad + ("feld",))
    if feld is None:
        return [
            Meldung(
                stelle,
                f"Unbekanntes Feld „{v.feld}“.",
                hinweis=f"Erlaubt sind die Felder des Profilmodells: {', '.join(sorted(FELDER))}.",
            )
        ]
    wert_stelle = dok.fundstelle(pfad + ("wert",))
    op_stelle = dok.fundstelle(pfad + ("op",))
    if isinstance(v.wert, list) and len(v.wert) > MAX_IN_WERTE:
        return [Meldung(wert_stelle, f"Die Liste hat {len(v.wert)} Werte; erlaubt sind höchstens {MAX_IN_WERTE}.",
                        hinweis="Lange Listen wertet durable-rules nicht in begrenzter Zeit aus; fassen Sie die Werte "
                                "mit gt/gte/lt/lte zu Bereichen zusammen.")]
    if feld.art == "wahrheitswert":
        if v.op not in ("eq", "ne"):
            return [Meldung(op_stelle, f"„{v.feld}“ ist ein Wahrheitswert; erlaubt sind nur eq und ne.")]
        if not isinstance(v.wert, bool):
            return [Meldung(wert_stelle, f"„{v.feld}“ ist ein Wahrheitswert; wert muss true oder false sein.")]
    elif feld.art == "zahl":
        werte = v.wert if isinstance(v.wert, list) else [v.wert]
        if (v.op == "in") != isinstance(v.wert, list):
            return [Meldung(wert_stelle, "Bei op: in muss wert eine Liste sein, sonst ein einzelner Wert.")]
        if any(isinstance(w, bool) or not isinstance(w, int) or w < 0 for w in werte):
            return [Meldung(wert_stelle, f"„{v.feld}“ ist eine Anzahl; wert muss eine ganze Zahl ≥ 0 sein.")]
        if any(w > OBERGRENZE_EINWOHNER + 1 for w in werte):
            return [Meldung(wert_stelle, f"„{v.feld}“: Der Wert {zahl(max(werte))} liegt über der Obergrenze "
                                         f"{zahl(OBERGRENZE_EINWOHNER + 1)}, die keine Kommune erreicht.",
                            hinweis="Prüfen Sie die Schwelle auf einen Tippfehler (zu viele Nullen?).")]
    elif feld.art == "anteil":
        if v.op not in ("gt", "gte", "lt", "lte"):
            return [Meldung(op_stelle, "Ein Anteil wird nur mit gt, gte, lt oder lte verglichen.")]
        try:
            p = prozentwert(v.wert)
        except ValueError as exc:
            return [Meldung(wert_stelle, str(exc) + ".")]
        if not 0 <= p <= 100:
            return [Meldung(wert_stelle, "Ein Anteil in vom Hundert liegt zwischen 0 und 100.")]
    elif feld.art == "text":
        werte = v.wert if isinstance(v.wert, list) else [v.wert]
        if v.op not in ("eq", "ne", "in"):
            return [Meldung(op_stelle, f"„{v.feld}“ wird nur mit eq, ne oder in verglichen.")]
        if (v.op == "in") != isinstance(v.wert, list):
            return [Meldung(wert_stelle, "Bei op: in muss wert eine Liste sein, sonst ein einzelner Wert.")]
        if v.feld == "typ":
            for w in werte:
                if w not in KOMMUNALTYPEN:
                    return [Meldung(wert_stelle, f"Unbekannter Kommunaltyp „{w}“.")]
    return []


def pruefe_zyklen(alle: dict[str, GeladeneRegel]) -> list[Meldung]:
    """Regelbezüge und Ausnahmen dürfen keinen Kreis bilden (sonst keine wohldefinierte Verkettung)."""
    kanten: dict[str, set[str]] = {rid: set(abhaengigkeiten(g.regel)) for rid, g in alle.items()}
    # Ausnahme E verdrängt Regel A: A hängt von E ab
    for rid, g in alle.items():
        for ziel in g.regel.ausnahme_zu:
            if ziel in kanten:
                kanten[ziel].add(rid)
    meldungen: list[Meldung] = []
    farbe: dict[str, int] = {}
    gemeldet: set[frozenset[str]] = set()

    def besuche(knoten: str, stapel: list[str]) -> None:
        farbe[knoten] = 1
        stapel.append(knoten)
        for nach in sorted(kanten.get(knoten, ())):
            if nach not in kanten:
                continue
            if farbe.get(nach) == 1:
                kreis = stapel[stapel.index(nach):]
                if frozenset(kreis) not in gemeldet:
                    gemeldet.add(frozenset(kreis))
                    g = alle[knoten]
                    meldungen.append(
                        Meldung(
                            g.dokument.fundstelle(("id",), "id"),
                            "Zyklus zwischen Regeln: " + " → ".join(kreis + [nach]) + ".",
                            hinweis="Eine Regel darf weder direkt noch über andere von sich selbst abhängen.",
                        )
                    )
            elif farbe.get(nach) is None:
                besuche(nach, stapel)
        stapel.pop()
        farbe[knoten] = 2

    for rid in sorted(kanten):
        if rid not in farbe:
            besuche(rid, [])
    return meldungen


def abhaengigkeiten(regel: Regel) -> list[str]:
    """Regel-ids, auf deren Schlussfolgerungen sich die Bedingungen dieser Regel beziehen."""
    ergebnis: list[str] = []
    for version in regel.versionen:
        for bezug in regelbezuege(version.bedingung):
            ergebnis.append(bezug.regel)
            if bezug.durch:
                ergebnis.append(bezug.durch)
    return ergebnis


def regelbezuege(bedingung: Bedingung | None) -> list[RegelBezug]:
    if bedingung is None:
        return []
    if isinstance(bedingung, RegelBezug):
        return [bedingung]
    if isinstance(bedingung, Alle):
        return [b for teil in bedingung.alle for b in regelbezuege(teil)]
    if isinstance(bedingung, Eine):
        return [b for teil in bedingung.eine for b in regelbezuege(teil)]
    if isinstance(bedingung, Nicht):
        return regelbezuege(bedingung.nicht)
    return []
