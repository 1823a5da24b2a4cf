"""Regeldateien laden und als Ganzes prüfen: Form, Felder, Verweise, Zyklen, Zeitachsen.

Ergebnis ist eine unveränderliche ``Regelbasis``. Jede Unstimmigkeit wird als ``Meldung`` mit Datei,
Zeile und Feld gesammelt; ausgewertet wird nur eine fehlerfreie Regelbasis.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from engine.begriffe import BUND, GEGENSTAENDE, KOMMUNALTYPEN, LAENDER, Rolle, land_name, typen_im_geltungsbereich
from engine.fehler import EingabeFehler, Fundstelle, Meldung
from engine.felder import FELDER, OBERGRENZE_EINWOHNER
from engine.regeln.logik import dnf_groesse
from engine.regeln import zwischenspeicher
from engine.regeln.modell import Alle, Bedingung, Eine, Nicht, Regel, RegelBezug, Vergleich, ersetzt, prozentwert
from engine.yamlquelle import Dokument, Pfad, lese_datei
from engine.zahlen import zahl

SZENARIO_ORDNER = "szenarien"  # rules/szenarien/<name>/: Entwürfe, nur mit --szenario geladen
MAX_IN_WERTE = 100  # durable-rules: in-Listen ab ~520 Werten hängen für immer oder scheitern (Fehler 113)
MAX_FAELLE_JE_BEDINGUNG = 256  # Konjunktionen der Normalform; die Regelbasis braucht höchstens 4

LAND_ORDNER = {
    "baden-wuerttemberg": "BW",
    "bayern": "BY",
    "berlin": "BE",
    "brandenburg": "BB",
    "bremen": "HB",
    "hamburg": "HH",
    "hessen": "HE",
    "mecklenburg-vorpommern": "MV",
    "niedersachsen": "NI",
    "nordrhein-westfalen": "NW",
    "rheinland-pfalz": "RP",
    "saarland": "SL",
    "sachsen": "SN",
    "sachsen-anhalt": "ST",
    "schleswig-holstein": "SH",
    "thueringen": "TH",
    "bund": "DE",
}


@dataclass(frozen=True)
class GeladeneRegel:
    regel: Regel
    dokument: Dokument

    @property
    def datei(self) -> str:
        return self.dokument.datei


@dataclass
class Regelbasis:
    regeln: dict[str, GeladeneRegel]
    fingerabdruck: str
    warnungen: list[Meldung] = field(default_factory=list)

    def fuer_land(self, land: str) -> list[Regel]:
        """Die Regeln, die in diesem Land gelten: die des Landes und die des Bundes."""
        cache = self.__dict__.setdefault("_je_land", {})
        if land not in cache:
            cache[land] = tuple(g.regel for g in self.regeln.values() if g.regel.land in (land, BUND))
        return list(cache[land])

    def regel(self, regel_id: str) -> Regel:
        return self.regeln[regel_id].regel

    def ausnahmen_zu(self, regel_id: str) -> list[Regel]:
        index = self.__dict__.get("_ausnahmen")
        if index is None:
            index = self.__dict__["_ausnahmen"] = {}
            for g in self.regeln.values():
                for ziel in g.regel.ausnahme_zu:
                    index.setdefault(ziel, []).append(g.regel)
        return list(index.get(regel_id, ()))

    def schlank(self) -> "Regelbasis":
        """Dieselbe Regelbasis ohne die Rohdaten und Positionen der Dateien (für den Zwischenspeicher; Positionen
        braucht nur ``regeln pruefen``, und das prüft immer frisch)."""
        regeln = {rid: GeladeneRegel(g.regel, Dokument(g.dokument.datei, None, {})) for rid, g in self.regeln.items()}
        return Regelbasis(regeln, self.fingerabdruck, list(self.warnungen))

    def laender(self) -> list[str]:
        """Länder mit eigenen Regeln; gibt es Bundesregeln, gelten sie in allen Ländern."""
        codes = {g.regel.land for g in self.regeln.values()}
        if BUND in codes:
            return sorted(LAENDER)
        return sorted(codes)


def standard_regelverzeichnis() -> Path:
    """Die mitgelieferten Regeln; funktioniert im Quellbaum und nach ``pip install .``."""
    return Path(str(resources.files("rules")))


def regeldateien(pfade: list[Path]) -> list[Path]:
    """Alle Regeldateien unter den Pfaden (wie ``sorted(pfad.rglob("*.yaml"))``, mit ``os.walk`` – bei jedem Kaltstart
    gebraucht); Testfälle (Ordner ``tests``) und Szenarien gehören nicht dazu."""
    import os

    dateien: list[Path] = []
    for pfad in pfade:
        if not pfad.is_dir():
            dateien.append(pfad)
            continue
        gefunden = []
        for ordner, unterordner, namen in os.walk(pfad):
            gefunden += [os.path.join(ordner, n) for n in namen + unterordner if n.endswith(".yaml")]
            unterordner[:] = [u for u in unterordner if u not in ("tests", SZENARIO_ORDNER)]
        dateien += sorted((Path(d) for d in gefunden), key=lambda d: d.parts)
    return dateien


def _ist_regelbasis(gespeichert) -> bool:
    """Ein Eintrag des Zwischenspeichers ist nur brauchbar, wenn er eine Regelbasis aus Regeln ist."""
    return isinstance(gespeichert, Regelbasis) and all(isinstance(g.regel, Regel) for g in gespeichert.regeln.values())


def lade_regelbasis(pfade: list[Path] | Path | None = None, szenario: list[Path] | None = None) -> Regelbasis:
    """Regeln laden und prüfen; bei Fehlern ``EingabeFehler`` mit allen Meldungen. Eine schon geprüfte Regelbasis mit
    demselben Inhalt kommt aus dem Zwischenspeicher (``zwischenspeicher.py``). Mit ``szenario``: die Regeln dieser
    Ordner über die Regelbasis gelegt (siehe ``sammle_regelbasis``), ohne Zwischenspeicher."""
    liste = _pfadliste(pfade)
    if szenario:
        regelbasis, meldungen = sammle_regelbasis(liste, szenario)
        fehler = [m for m in meldungen if m.schwere == "fehler"]
        if fehler or regelbasis is None:
            raise EingabeFehler(fehler)
        return regelbasis
    schluessel, dateien = None, []
    if all(p.exists() for p in liste):
        dateien = regeldateien(liste)
        gespeichert, schluessel = zwischenspeicher.finde(dateien, _ist_regelbasis)
        if gespeichert is not None:
            return gespeichert
    regelbasis, meldungen = sammle_regelbasis(liste)
    fehler = [m for m in meldungen if m.schwere == "fehler"]
    if fehler or regelbasis is None:
        raise EingabeFehler(fehler)
    if schluessel is not None:
        zwischenspeicher.speichere(dateien, schluessel, regelbasis.schlank())
    return regelbasis


def _lies_regel(datei: Path, meldungen: list[Meldung]) -> tuple[Regel, Dokument] | None:
    """Eine Regeldatei lesen und gegen das Modell prüfen; Befunde landen in ``meldungen``."""
    from engine.regeln import format as regelformat  # pydantic nur beim Prüfen, nie beim Kaltstart aus dem Speicher
    from engine.validierung import validiere

    try:
        dokument = lese_datei(datei)
        return regelformat.in_laufzeit(validiere(regelformat.Regel, dokument)), dokument
    except EingabeFehler as fehler:
        meldungen.extend(fehler.meldungen)
        return None


def _ueberlagert(geltend: GeladeneRegel | None, entwurf: Regel) -> Regel:
    """Eine Szenario-Regel mit der id einer geltenden Regel ersetzt sie ab ihrem ersten ``gueltig_ab``; die geltenden
    Fassungen davor bleiben (und enden spätestens am Vortag)."""
    if geltend is None:
        return entwurf
    beginn = entwurf.versionen[0].gueltig_ab
    frueher = []
    for v in geltend.regel.versionen:
        if v.gueltig_ab >= beginn:
            break
        ende = beginn - dt.timedelta(days=1)
        frueher.append(v if v.gueltig_bis is not None and v.gueltig_bis <= ende else ersetzt(v, gueltig_bis=ende))
    return ersetzt(entwurf, versionen=frueher + list(entwurf.versionen),
                   abdeckung_ab=geltend.regel.abdeckung_ab if frueher else entwurf.abdeckung_ab)


def _pfadliste(pfade: list[Path] | Path | None) -> list[Path]:
    if pfade is None:
        return [standard_regelverzeichnis()]
    return [pfade] if isinstance(pfade, Path) else list(pfade)


def sammle_regelbasis(pfade: list[Path] | Path | None = None, szenario: list[Path] | None = None
                      ) -> tuple[Regelbasis | None, list[Meldung]]:
    """Regeln laden und alle Befunde sammeln; die Regelbasis ist ``None``, wenn ein Fehler darunter ist.

    ``szenario``: Ordner mit Entwürfen (``entwurf: true``), die über die Regelbasis gelegt werden – eine Regel mit
    derselben id ersetzt die geltende ab dem Beginn ihrer ersten Fassung (frühere Fassungen bleiben), neue ids kommen
    hinzu. Ein Entwurf in der Regelbasis selbst ist ein Fehler: Szenarien sickern nie in ein normales ``check``."""
    pfade = _pfadliste(pfade)
    meldungen: list[Meldung] = []
    geladen: dict[str, GeladeneRegel] = {}
    fehlende = [p for p in [*pfade, *(szenario or [])] if not p.exists()]
    if fehlende:
        return None, [Meldung(Fundstelle(str(p)), "Der Pfad existiert nicht.") for p in fehlende]
    dateien = regeldateien(pfade)
    if not dateien:
        return None, [Meldung(Fundstelle(", ".join(map(str, pfade))), "Keine Regeldateien (*.yaml) gefunden.")]
    hasher = hashlib.sha256()
    for datei in dateien:
        gelesen = _lies_regel(datei, meldungen)
        if gelesen is None:
            continue
        regel, dokument = gelesen
        hasher.update(datei.read_bytes())
        if regel.id in geladen:
            erste = geladen[regel.id]
            meldungen.append(
                Meldung(
                    dokument.fundstelle(("id",), "id"),
                    f"Die id „{regel.id}“ ist schon in {erste.datei} vergeben.",
                    hinweis="Jede Regel braucht eine eigene, dauerhaft eindeutige id.",
                )
            )
            continue
        ordner_land = LAND_ORDNER.get(datei.parent.name)
        if ordner_land and ordner_land != regel.land:
            meldungen.append(
                Meldung(
                    dokument.fundstelle(("land",), "land"),
                    f"Die Datei liegt im Ordner „{datei.parent.name}“ ({ordner_land}), die Regel nennt aber land: {regel.land}.",
                )
            )
        if regel.entwurf:
            meldungen.append(Meldung(dokument.fundstelle(("entwurf",), "entwurf"),
                                     "Ein Entwurf (entwurf: true) gehört in einen Szenario-Ordner, nicht in die "
                                     "Regelbasis.", hinweis="Legen Sie die Datei unter rules/szenarien/<name>/ ab und "
                                     "werten Sie sie mit --szenario aus."))
            continue
        geladen[regel.id] = GeladeneRegel(regel, dokument)
    im_szenario: dict[str, str] = {}
    for datei in regeldateien(list(szenario or [])):
        gelesen = _lies_regel(datei, meldungen)
        if gelesen is None:
            continue
        regel, dokument = gelesen
        hasher.update(b"szenario:" + datei.read_bytes())
        if not regel.entwurf:
            meldungen.append(Meldung(dokument.fundstelle(("id",), "entwurf"),
                                     "Eine Szenario-Regel braucht entwurf: true (sie ist kein geltendes Recht).",
                                     hinweis="Ergänzen Sie „entwurf: true“ und den Abschnitt szenario."))
            continue
        if regel.id in im_szenario:
            meldungen.append(Meldung(dokument.fundstelle(("id",), "id"),
                                     f"Die id „{regel.id}“ ist im Szenario schon in {im_szenario[regel.id]} vergeben."))
            continue
        im_szenario[regel.id] = dokument.datei
        geladen[regel.id] = GeladeneRegel(_ueberlagert(geladen.get(regel.id), regel), dokument)
    for geladene in geladen.values():
        meldungen.extend(pruefe_regel(geladene, geladen))
    meldungen.extend(_pruefe_zyklen(geladen))
    if any(m.schwere == "fehler" for m in meldungen):
        return None, meldungen
    return Regelbasis(geladen, hasher.hexdigest()[:12], [m for m in meldungen if m.schwere != "fehler"]), meldungen


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
            for wert_feld in ("stellen", "foerdersatz"):
                wert = getattr(p, wert_feld)
                if wert is not None:
                    try:
                        if prozentwert(wert) < 0:
                            raise ValueError
                    except ValueError:
                        meldungen.append(Meldung(stelle, f"{wert_feld} muss eine Zahl ≥ 0 sein."))
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


def _pruefe_zyklen(alle: dict[str, GeladeneRegel]) -> list[Meldung]:
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
