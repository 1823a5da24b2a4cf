"""Was sich zwischen zwei Tagen ändert: neue, entfallene und geänderte Ergebnisse je Kommune, mit der Norm, die sich
geändert hat.

Verglichen wird **dieselbe Kommune mit denselben Zahlen** an beiden Tagen – so zeigt der Vergleich nur Änderungen des
Rechts (neue Fassungen, Schwellen, Beträge, Programmphasen), nicht die Fortschreibung der Einwohnerzahlen. Grundlage
ist die Massenauswertung (``massen.bewerte``): Status und Fassung je Regel, dazu der Förderhöchstbetrag.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from engine.auswertung.betraege import berechne, euro, staffel_im_land
from engine.auswertung.massen import bewerte
from engine.auswertung.varianten import plane
from engine.begriffe import Art, Status
from engine.felder import FELDER
from engine.kommunen.profil import Kommune
from engine.regeln.basis import Regelbasis
from engine.regeln.modell import OPERATOR_ZEICHEN, Regel, Vergleich
from engine.zahlen import zahl

STATUS_TEXT = {Status.gilt: "gilt", Status.entfaellt: "entfällt (Ausnahme)", Status.unbestimmt: "offen"}


@dataclass(frozen=True)
class Zustand:
    """Wie eine Regel an einem Tag für die Kommune steht."""

    status: Status
    version_index: int
    betrag: int | None = None  # Förderhöchstbetrag je Jahr (einmalig: insgesamt), wenn berechenbar
    einmalig: bool = False


@dataclass
class Aenderung:
    art: str  # neu | entfallen | geaendert | abdeckungsbeginn (keine Rechtsänderung: die Regelbasis beginnt hier)
    regel: Regel
    vorher: Zustand | None
    nachher: Zustand | None
    einzelheiten: list[str] = field(default_factory=list)

    @property
    def norm(self) -> str:
        """Die Norm, die die Änderung trägt: die neue Fassung, bei entfallenen Regeln die alte."""
        z = self.nachher or self.vorher
        return self.regel.versionen[z.version_index].zitat.norm

    @property
    def seit(self) -> dt.date | None:
        """Beginn der Fassung, die die Änderung bringt (bei entfallenen: Tag nach dem Ende der alten)."""
        if self.nachher is not None and (self.vorher is None or self.nachher.version_index != self.vorher.version_index):
            return self.regel.versionen[self.nachher.version_index].gueltig_ab
        if self.nachher is None and self.vorher is not None:
            ende = self.regel.versionen[self.vorher.version_index].gueltig_bis
            return ende + dt.timedelta(days=1) if ende else None
        return None

    @property
    def norm_text(self) -> str:
        """Für Übersichten: bei entfallenen Regeln mit neuer Fassung „bisher … (bis …)“."""
        if self.art == "entfallen" and self.vorher is not None:
            alt = self.regel.versionen[self.vorher.version_index]
            bis = f" bis {alt.gueltig_bis:%d.%m.%Y}" if alt.gueltig_bis else ""
            return f"bisher {alt.zitat.norm}{bis}"
        seit = f", seit {self.seit:%d.%m.%Y}" if self.seit else ""
        return f"{self.norm}{seit}"

    def text(self) -> str:
        wort = {"neu": "NEU", "entfallen": "ENTFÄLLT", "geaendert": "GEÄNDERT",
                "abdeckungsbeginn": "ERST AB HIER ERFASST"}[self.art]
        seit = f", seit {self.seit:%d.%m.%Y}" if self.seit else ""
        zusatz = f": {'; '.join(self.einzelheiten)}" if self.einzelheiten else ""
        return f"{wort} – {self.regel.titel} ({self.norm}{seit}){zusatz}"


def zustaende(kommune: Kommune, stichtag: dt.date, regelbasis: Regelbasis, auswerter,
              speicher: dict | None = None, plan=None) -> dict[str, Zustand]:
    return _zustaende_aus(bewerte(kommune, stichtag, regelbasis, auswerter, speicher, plan), kommune, stichtag,
                          regelbasis)


def _zustaende_aus(zeile, kommune: Kommune, stichtag: dt.date, regelbasis: Regelbasis) -> dict[str, Zustand]:
    ergebnis = {}
    for rid, status, index in zeile.ergebnisse:
        regel = regelbasis.regel(rid)
        betrag, einmalig = None, False
        if regel.foerderung is not None and status != Status.entfaellt:
            b = berechne(regel.foerderung, kommune, stichtag)
            betrag, einmalig = b.hoechstbetrag, b.einmalig
        ergebnis[rid] = Zustand(status, index, betrag, einmalig)
    return ergebnis


def vergleiche(vorher: dict[str, Zustand], nachher: dict[str, Zustand], regelbasis: Regelbasis,
               bis: dt.date | None = None) -> list[Aenderung]:
    """Die Unterschiede zweier Zustände derselben Kommune, sortiert: Pflichten vor Förderung vor Hinweisen. Mit
    ``bis`` sagt eine entfallene Regel, welche Fassung an ihre Stelle trat und was sich an der Voraussetzung änderte."""
    aenderungen = []
    for rid in sorted(set(vorher) | set(nachher)):
        regel = regelbasis.regel(rid)
        a, b = vorher.get(rid), nachher.get(rid)
        if a is None and regel.abdeckung_ab is not None and b.version_index == 0:
            # die Regelbasis kennt die Rechtslage erst ab hier – das ist keine Rechtsänderung
            aenderungen.append(Aenderung("abdeckungsbeginn", regel, None, b,
                                         [f"Beginn des geprüften Zeitraums am {regel.abdeckung_ab:%d.%m.%Y}; "
                                          "davor sagt die Regelbasis nichts"]))
        elif a is None:
            aenderungen.append(Aenderung("neu", regel, None, b, [f"Status: {STATUS_TEXT[b.status]}"]))
        elif b is None:
            einzelheiten = [f"vorher: {STATUS_TEXT[a.status]}"]
            spaeter = regel.version_am(bis) if bis is not None else None
            if spaeter is not None and spaeter[0] != a.version_index:
                alt, neu = regel.versionen[a.version_index], spaeter[1]
                einzelheiten.append(f"neue Fassung {neu.zitat.norm} seit {neu.gueltig_ab:%d.%m.%Y}: Voraussetzung "
                                    f"{_bedingung_kurz(alt.bedingung)} → {_bedingung_kurz(neu.bedingung)}")
            aenderungen.append(Aenderung("entfallen", regel, a, None, einzelheiten))
        else:
            einzelheiten = []
            if a.status != b.status:
                einzelheiten.append(f"Status {STATUS_TEXT[a.status]} → {STATUS_TEXT[b.status]}")
            if a.version_index != b.version_index:
                alt, neu = regel.versionen[a.version_index], regel.versionen[b.version_index]
                vorher_text, nachher_text = _bedingung_kurz(alt.bedingung), _bedingung_kurz(neu.bedingung)
                if vorher_text != nachher_text:
                    einzelheiten.append(f"Voraussetzung {vorher_text} → {nachher_text}")
                if alt.zitat.norm != neu.zitat.norm:
                    einzelheiten.append(f"Norm {alt.zitat.norm} → {neu.zitat.norm}")
                else:
                    einzelheiten.append(f"neue Fassung von {neu.zitat.norm}")
            if a.betrag != b.betrag:
                bezug = "einmalig" if b.einmalig else "je Jahr"
                von = euro(a.betrag) if a.betrag is not None else "nicht pauschal bestimmbar"
                bis = euro(b.betrag) if b.betrag is not None else "nicht pauschal bestimmbar"
                einzelheiten.append(f"Höchstbetrag {von} → {bis} {bezug}")
            if einzelheiten:
                aenderungen.append(Aenderung("geaendert", regel, a, b, einzelheiten))
    ordnung = {Art.pflicht: 0, Art.foerderung: 1, Art.hinweis: 2, None: 3}
    return sorted(aenderungen, key=lambda x: (ordnung.get(x.regel.art, 3), x.regel.gegenstand, x.regel.id))


def _bedingung_kurz(bedingung) -> str:
    """„Ausländeranteil ≥ 10 %“ für einen einzelnen Vergleich; sonst ein Verweis auf die Regel."""
    if bedingung is None:
        return "keine"
    if isinstance(bedingung, Vergleich):
        feld = FELDER.get(bedingung.feld)
        name = feld.bezeichnung if feld else bedingung.feld
        if isinstance(bedingung.wert, list):
            wert = ", ".join(str(w) for w in bedingung.wert)
        elif feld is not None and feld.art == "anteil":
            wert = f"{str(bedingung.wert).replace('.', ',')} %"
        elif isinstance(bedingung.wert, int) and not isinstance(bedingung.wert, bool):
            wert = zahl(bedingung.wert)
        else:
            wert = str(bedingung.wert)
        return f"{name} {OPERATOR_ZEICHEN[bedingung.op]} {wert}"
    return "zusammengesetzt (siehe Regel)"


def vergleiche_kommune(kommune: Kommune, von: dt.date, bis: dt.date, regelbasis: Regelbasis, auswerter,
                       speicher: dict | None = None) -> list[Aenderung]:
    plan = plane(kommune, regelbasis)  # die Stützpunkte hängen nicht vom Tag ab
    return vergleiche(zustaende(kommune, von, regelbasis, auswerter, speicher, plan),
                      zustaende(kommune, bis, regelbasis, auswerter, speicher, plan), regelbasis, bis)


def aenderungstage(regelbasis: Regelbasis, land: str, nach: dt.date, bis: dt.date) -> list[dt.date]:
    """Die Tage in (``nach``, ``bis``], an denen eine Fassung oder ein Förderparameter einer Regel des Landes (oder
    des Bundes) beginnt oder endet – nur dort kann sich ein Ergebnis ändern. Je Land einmal gesammelt."""
    cache = regelbasis.__dict__.setdefault("_aenderungstage", {})
    alle_tage = cache.get(land)
    if alle_tage is None:
        alle_tage = cache[land] = _alle_aenderungstage(regelbasis, land)
    return [t for t in alle_tage if nach < t <= bis]


def _alle_aenderungstage(regelbasis: Regelbasis, land: str) -> list[dt.date]:
    tage = set()
    for regel in regelbasis.fuer_land(land):
        grenzen = [(v.gueltig_ab, v.gueltig_bis) for v in regel.versionen]
        if regel.foerderung is not None:
            grenzen += [(p.gueltig_ab, p.gueltig_bis) for p in regel.foerderung.parameter]
        for ab, ende in grenzen:
            tage.add(ab)
            if ende is not None and ende < dt.date.max:
                tage.add(ende + dt.timedelta(days=1))
    return sorted(tage)


@dataclass
class Demnaechst:
    """Ein Eintrag des Abschnitts „Demnächst“: eine beschlossene Rechtsänderung, eine Frist, ein Programmende."""

    datum: dt.date
    art: str  # rechtsaenderung | frist | foerderphase_endet
    text: str
    regel: str | None = None
    norm: str | None = None


HORIZONT_TAGE = 365


def _rechtsaenderungen(kommune: Kommune, stichtag: dt.date, tage: list[dt.date], regelbasis: Regelbasis, auswerter,
                       zwischenspeicher: dict | None, plan) -> list[tuple[Demnaechst, bool]]:
    """Die Rechtsänderungen an den ``tage``n als (Eintrag, entfällt). Sie folgen allein aus den Zuständen an Stichtag
    und Änderungstagen (``zustaende``, ``vergleiche``); die Zustände aus dem Status je Regel (``massen.bewerte``) und
    den Förderbeträgen. Mit dem Zwischenspeicher der Massenauswertung daher je gleicher Folge geteilter Zeilen (und,
    wo eine Förderstaffel nach Einwohnern rechnet, gleicher Einwohnerzahl) einmal gebaut."""
    speicher: dict = {} if zwischenspeicher is None else zwischenspeicher
    if plan is None:
        plan = plane(kommune, regelbasis)
    einwohner = kommune.einwohner if staffel_im_land(regelbasis, kommune.land) else None  # nur eine Staffel liest sie
    vorab = None  # gleiche Lage der Zahlen zu allen Schwellen dieser Tage ⇒ gleiche Zeilen (``lage``), ohne sie zu rechnen
    if zwischenspeicher is not None and hasattr(auswerter, "lage"):
        vorab = ("demnaechst-lage", id(regelbasis), stichtag, tuple(tage), kommune.land, kommune.typ,
                 tuple(sorted(kommune.merkmale.items())), plan.unbekannt, auswerter.lage(plan, (stichtag, *tage)),
                 einwohner)
        treffer = zwischenspeicher.get(vorab)
        if treffer is not None and treffer[0] is regelbasis:
            return treffer[1]
    zeilen = [bewerte(kommune, tag, regelbasis, auswerter, speicher, plan, nur_lesen=True) for tag in (stichtag, *tage)]
    schluessel = None
    if zwischenspeicher is not None and all(z.geteilt is not None for z in zeilen):
        schluessel = ("demnaechst", id(regelbasis), stichtag, tuple(tage), tuple(id(z.geteilt) for z in zeilen),
                      einwohner)
        treffer = zwischenspeicher.get(schluessel)
        # der Eintrag hält die geteilten Zeilen und die Regelbasis am Leben: ihre ids bleiben eindeutig
        if treffer is not None and treffer[0] is regelbasis and all(a is z.geteilt for a, z in zip(treffer[1], zeilen)):
            return treffer[2]
    ergebnis: list[tuple[Demnaechst, bool]] = []
    vorher = _zustaende_aus(zeilen[0], kommune, stichtag, regelbasis)
    for tag, zeile in zip(tage, zeilen[1:]):
        dann = _zustaende_aus(zeile, kommune, tag, regelbasis)
        for a in vergleiche(vorher, dann, regelbasis, tag):
            if a.art == "abdeckungsbeginn":
                continue
            wort = {"neu": "neu", "entfallen": "entfällt", "geaendert": "ändert sich"}[a.art]
            ohne_norm = [x for x in a.einzelheiten if not x.startswith(("Norm ", "neue Fassung"))]
            details = f" ({'; '.join(ohne_norm)})" if ohne_norm else ""
            ergebnis.append((Demnaechst(tag, "rechtsaenderung", f"{a.regel.titel}: {wort}{details}", a.regel.id, a.norm),
                             a.art == "entfallen"))
        vorher = dann
    if schluessel is not None:
        zwischenspeicher[schluessel] = (regelbasis, tuple(z.geteilt for z in zeilen), ergebnis)
    if vorab is not None:
        zwischenspeicher[vorab] = (regelbasis, ergebnis)
    return ergebnis


def demnaechst(kommune: Kommune, stichtag: dt.date, regelbasis: Regelbasis, auswerter, ergebnisse=(),
               zwischenspeicher: dict | None = None, plan=None) -> list[Demnaechst]:
    """Was in den zwölf Monaten nach dem Stichtag kommt: Fassungen mit künftigem Beginn (und was sie für diese
    Kommune ändern), endende Förderphasen und Antragsfristen aus den Ergebnissen des Berichts. Mit dem
    ``zwischenspeicher`` der Massenauswertung teilen gleichwertige Kommunen ihre Inferenzen."""
    return demnaechst_aus(rechtsaenderungen(kommune, stichtag, regelbasis, auswerter, zwischenspeicher, plan),
                          ergebnisse, stichtag)


_KEINE: tuple = ()  # keine Änderungstage im Horizont (ein Objekt: ``JsonlFormat`` merkt sich Texte je Objekt)


def rechtsaenderungen(kommune: Kommune, stichtag: dt.date, regelbasis: Regelbasis, auswerter,
                      zwischenspeicher: dict | None = None, plan=None) -> list[tuple[Demnaechst, bool]] | tuple:
    """Die Rechtsänderungen der zwölf Monate nach dem Stichtag für diese Kommune als (Eintrag, entfällt); mit dem
    Zwischenspeicher der Massenauswertung ist gleich auch dasselbe Objekt (siehe ``_rechtsaenderungen``)."""
    tage = aenderungstage(regelbasis, kommune.land, stichtag, stichtag + dt.timedelta(days=HORIZONT_TAGE))
    if not tage:
        return _KEINE
    return _rechtsaenderungen(kommune, stichtag, tage, regelbasis, auswerter, zwischenspeicher, plan)


def demnaechst_aus(aenderungen, ergebnisse, stichtag: dt.date) -> list[Demnaechst]:
    """Der Abschnitt „Demnächst“ aus den Rechtsänderungen und den Förderungen unter den Ergebnissen."""
    horizont = stichtag + dt.timedelta(days=HORIZONT_TAGE)
    eintraege: list[Demnaechst] = []
    entfallend: set[int] = set()  # Einträge „entfällt“ (id() des Eintrags), für den Abgleich mit endenden Programmen
    for eintrag, entfaellt in aenderungen:
        eintrag = dataclasses.replace(eintrag)  # eigene Einträge je Bericht (geteilt wird nur ihr Inhalt)
        eintraege.append(eintrag)
        if entfaellt:
            entfallend.add(id(eintrag))
    for e in ergebnisse:
        f = e.foerderung
        if f is None:
            continue
        programm = e.regel.foerderung.programm if e.regel.foerderung else e.regel.titel
        if f.naechste_frist and f.naechste_frist <= horizont:
            eintraege.append(Demnaechst(f.naechste_frist, "frist", f"Antragsfrist: {programm}", e.regel.id,
                                        e.version.zitat.norm))
        if f.laeuft_aus and f.laeuft_aus <= horizont:
            beendet = e.regel.foerderung is not None and e.regel.foerderung.nach_ende == "beendet"
            eintraege.append(Demnaechst(f.laeuft_aus, "foerderphase_endet",
                                        f"Förderphase endet: {programm} "
                                        f"({'eingestellt' if beendet else 'Fortführung nicht bestätigt'})",
                                        e.regel.id, e.version.zitat.norm))
    # ein endendes Programm steht einmal da („Förderphase endet am …“), nicht noch einmal als „entfällt“ am Folgetag
    endend = {d.regel for d in eintraege if d.art == "foerderphase_endet"}
    eintraege = [d for d in eintraege if not (id(d) in entfallend and d.regel in endend)]
    return sorted(eintraege, key=lambda d: (d.datum, d.art, d.text))


__all__ = ["Aenderung", "Zustand", "Demnaechst", "zustaende", "vergleiche", "vergleiche_kommune", "demnaechst",
           "demnaechst_aus", "rechtsaenderungen",
           "aenderungstage"]
