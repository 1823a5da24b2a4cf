"""Zitierfähigkeit der Regelbasis: amtliche Fundstelle, amtlicher Link, abgeglichener Wortlaut, ermittelte Norm.

Zwei Aufgaben: ``pruefe_quellen`` meldet je Fassung, was ein Justiziar nicht zitieren könnte (Teil von
``regeln pruefen``, mit Datei und Zeile); ``quellenbericht`` zählt je Land, wie weit die Regelbasis ist
(``regeln quellen``) – Anteil amtlich/verifiziert, Fassungen ohne Fundstelle, Links außerhalb amtlicher Portale,
nicht ermittelte Normen und Förderprogramme, deren Phase bald endet.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from engine.begriffe import BUND, LAENDER, Art, Pruefstatus, land_name
from engine.fehler import Meldung
from engine.regeln.amtliche_quellen import host, ist_amtlich, nennt_verkuendungsblatt, verzeichnis
from engine.regeln.basis import GeladeneRegel, Regelbasis
from engine.regeln.modell import Regel, Version

VORLAUF_PROGRAMMENDE = 180  # Tage: ein Förderprogramm, das so bald endet, braucht eine Entscheidung über die Fortführung
_UNBEKANNTE_NORM = re.compile(r"nicht (ermittelt|gefunden)|unbekannt", re.IGNORECASE)
# Hinweise ohne gesetzliche Grundlage (z. B. ein Beirat kraft Organisationshoheit) belegt eine Parlamentsdrucksache
_PARLAMENTSDRUCKSACHE = re.compile(r"\bDrs\.|Drucksache", re.IGNORECASE)
SCHWERE_OHNE_FUNDSTELLE = "fehler"


def braucht_fundstelle(regel: Regel) -> bool:
    """Pflichten und Gremienregeln (auch ihre Ausnahmen und Optionen) werden in Beschlussvorlagen zitiert."""
    return not regel.entwurf and (regel.art == Art.pflicht or regel.gegenstand == "integrationsgremium")


def pruefe_quellen(geladen: GeladeneRegel) -> list[Meldung]:
    regel, dok = geladen.regel, geladen.dokument
    if regel.entwurf:  # ein Szenario zitiert die Studie, keine geltende Norm
        return []
    meldungen: list[Meldung] = []
    for index, version in enumerate(regel.versionen):
        z = version.zitat
        pfad = ("versionen", index, "zitat")
        if not ist_amtlich(z.url, regel.land):
            portal = verzeichnis()[regel.land].portal
            meldungen.append(Meldung(
                dok.fundstelle(pfad + ("url",)),
                f"Der Link zeigt auf „{host(z.url)}“, kein amtliches Portal und keine erlassende Stelle.",
                schwere="warnung",
                hinweis=f"Verlinken Sie die Norm im Portal des Landes ({portal}) oder bei der erlassenden Stelle; ein "
                "Spiegel gehört nach quelle_wortlaut (mit abgerufen)."))
        if z.norm_ermittelt and _UNBEKANNTE_NORM.search(z.norm):
            meldungen.append(Meldung(
                dok.fundstelle(pfad + ("norm",)),
                "Die Norm ist als nicht ermittelt beschrieben, aber norm_ermittelt fehlt.",
                hinweis="Setzen Sie norm_ermittelt: false mit zustaendigkeit_belegt_durch und recherche (was wann "
                "gesucht wurde) – das Ergebnis trägt dann sichtbar den Vorbehalt."))
        # eine nicht ermittelte Norm mit Beleg und Recherche ist ein dokumentierter Stand, kein Fehler der Datei:
        # das Ergebnis trägt den Vorbehalt sichtbar, „regeln quellen“ listet sie
        if z.norm_ermittelt and braucht_fundstelle(regel) and not z.amtliche_fundstelle:
            meldungen.append(Meldung(
                dok.fundstelle(pfad, f"versionen[{index}].zitat"),
                "Pflicht oder Gremienregel ohne amtliche_fundstelle.", schwere=SCHWERE_OHNE_FUNDSTELLE,
                hinweis="Nennen Sie die Verkündung der Norm, z. B. „GV. NRW. 2021 S. 1274“ oder „GVBl. I S. 142“."))
        if z.amtliche_fundstelle and regel.art != Art.foerderung and \
                not nennt_verkuendungsblatt(z.amtliche_fundstelle, regel.land) and \
                not (regel.art != Art.pflicht and _PARLAMENTSDRUCKSACHE.search(z.amtliche_fundstelle)):
            blaetter = ", ".join(verzeichnis()[regel.land].blaetter[:3])
            meldungen.append(Meldung(
                dok.fundstelle(pfad + ("amtliche_fundstelle",)),
                f"Die amtliche Fundstelle nennt kein Verkündungsblatt von {land_name(regel.land)}.",
                schwere="warnung", hinweis=f"Erwartet z. B. {blaetter} oder BGBl."))
        if z.pruefstatus not in (Pruefstatus.amtlich, Pruefstatus.verifiziert) and z.recherche is None:
            meldungen.append(Meldung(
                dok.fundstelle(pfad + ("pruefstatus",), f"versionen[{index}].zitat.pruefstatus"),
                "Der Wortlaut dieser Fassung ist nicht abgeglichen, und es steht nicht dabei, was wann gesucht wurde.",
                schwere="warnung",
                hinweis="Gleichen Sie den Wortlaut ab (pruefstatus amtlich/verifiziert) oder halten Sie die Suche fest: "
                "recherche: {am: JJJJ-MM-TT, gesucht: Quellen und Suchbegriffe, ergebnis: was gefunden wurde}."))
        if z.quelle_wortlaut and z.abgerufen is None:
            meldungen.append(Meldung(
                dok.fundstelle(pfad + ("quelle_wortlaut",)),
                "quelle_wortlaut ohne Datum des Abgleichs.", schwere="warnung",
                hinweis="Setzen Sie abgerufen: JJJJ-MM-TT (Tag, an dem der Wortlaut verglichen wurde)."))
    return meldungen


@dataclass
class Landesstand:
    """Zitierfähigkeit der Fassungen eines Landes (oder des Bundes)."""

    land: str
    fassungen: int = 0
    amtlich: int = 0
    verifiziert: int = 0
    pflicht_fassungen: int = 0
    ohne_fundstelle: list[str] = field(default_factory=list)  # „regel-id (Fassung ab …)“
    link_nicht_amtlich: list[str] = field(default_factory=list)
    norm_nicht_ermittelt: list[str] = field(default_factory=list)
    programmende: list[tuple[dt.date, str]] = field(default_factory=list)

    @property
    def abgeglichen(self) -> int:
        return self.amtlich + self.verifiziert

    def anteil(self) -> float:
        return self.abgeglichen / self.fassungen if self.fassungen else 0.0


def _name(regel: Regel, version: Version) -> str:
    return f"{regel.id} (Fassung ab {version.gueltig_ab:%d.%m.%Y})"


def programmende(regel: Regel, heute: dt.date, vorlauf: int = VORLAUF_PROGRAMMENDE) -> dt.date | None:
    """Ende der laufenden Förderphase, wenn es in den nächsten ``vorlauf`` Tagen liegt und nichts folgt."""
    if regel.foerderung is None or regel.foerderung.nach_ende == "beendet":
        return None
    ende = regel.versionen[-1].gueltig_bis
    if ende is not None and heute <= ende <= heute + dt.timedelta(days=vorlauf):
        return ende
    return None


def quellenbericht(regelbasis: Regelbasis, heute: dt.date) -> dict[str, Landesstand]:
    stand = {land: Landesstand(land) for land in (*LAENDER, BUND)}
    for geladen in regelbasis.regeln.values():
        regel = geladen.regel
        if regel.entwurf:
            continue
        s = stand[regel.land]
        for version in regel.versionen:
            z = version.zitat
            s.fassungen += 1
            s.amtlich += z.pruefstatus == Pruefstatus.amtlich
            s.verifiziert += z.pruefstatus == Pruefstatus.verifiziert
            if braucht_fundstelle(regel):
                s.pflicht_fassungen += 1
                if not z.amtliche_fundstelle and z.norm_ermittelt:  # ohne Norm keine Fundstelle: dort steht der Vorbehalt
                    s.ohne_fundstelle.append(_name(regel, version))
            if not ist_amtlich(z.url, regel.land):
                s.link_nicht_amtlich.append(f"{_name(regel, version)}: {host(z.url)}")
            if not z.norm_ermittelt:
                s.norm_nicht_ermittelt.append(_name(regel, version))
        ende = programmende(regel, heute)
        if ende is not None:
            s.programmende.append((ende, f"{regel.foerderung.programm} ({regel.id})"))
    return stand


def fehlende_fundstellen(stand: dict[str, Landesstand]) -> int:
    return sum(len(s.ohne_fundstelle) for s in stand.values())




def _prozent(teil: int, ganz: int) -> str:
    return f"{round(100 * teil / ganz)} %" if ganz else "–"


def als_text(stand: dict[str, Landesstand], heute: dt.date, markdown: bool = False, details: bool = True) -> str:
    """Tabelle je Land und darunter die Einzelfälle, die ein Redakteur abarbeiten muss."""
    kopf = ["Land", "Fassungen", "abgeglichen (amtlich + verifiziert)", "Pflicht/Gremium ohne Fundstelle",
            "Link nicht amtlich", "Norm nicht ermittelt", f"Förderphase endet ≤ {VORLAUF_PROGRAMMENDE} Tage"]
    zeilen = []
    summe = Landesstand("")
    for land, s in stand.items():
        if not s.fassungen:
            continue
        for attr in ("fassungen", "amtlich", "verifiziert", "pflicht_fassungen"):
            setattr(summe, attr, getattr(summe, attr) + getattr(s, attr))
        for attr in ("ohne_fundstelle", "link_nicht_amtlich", "norm_nicht_ermittelt", "programmende"):
            getattr(summe, attr).extend(getattr(s, attr))
        zeilen.append(_zeile(land_name(land) if land != BUND else "Bund", s))
    zeilen.append(_zeile("Zusammen", summe))
    titel = f"Zitierfähigkeit der Regelbasis am {heute:%d.%m.%Y}"
    if markdown:
        ausgabe = [f"**{titel}**", "", "| " + " | ".join(kopf) + " |", "|---|" + "---:|" * (len(kopf) - 1)]
        ausgabe += ["| " + " | ".join(z) + " |" for z in zeilen]
    else:
        breiten = [max(len(k), *(len(z[i]) for z in zeilen)) for i, k in enumerate(kopf)]
        ausgabe = [titel, "  ".join(k.ljust(b) for k, b in zip(kopf, breiten))]
        ausgabe += ["  ".join(c.ljust(b) if i == 0 else c.rjust(b) for i, (c, b) in enumerate(zip(z, breiten)))
                    for z in zeilen]
    if details:
        for ueberschrift, eintraege in (
                ("Pflichten und Gremienregeln ohne amtliche Fundstelle", summe.ohne_fundstelle),
                ("Primärer Link außerhalb amtlicher Portale (Spiegel gehören nach quelle_wortlaut)",
                 summe.link_nicht_amtlich),
                ("Norm nicht ermittelt (Ergebnisse mit Vorbehalt)", summe.norm_nicht_ermittelt),
                (f"Förderphase endet in den nächsten {VORLAUF_PROGRAMMENDE} Tagen – Fortführung klären",
                 [f"{ende:%d.%m.%Y}  {text}" for ende, text in sorted(summe.programmende)])):
            if eintraege:
                ausgabe += ["", f"{ueberschrift} ({len(eintraege)}):"]
                ausgabe += [("- " if markdown else "  ") + e for e in eintraege]
    return "\n".join(ausgabe) + "\n"


def _zeile(name: str, s: Landesstand) -> list[str]:
    return [name, str(s.fassungen), f"{s.abgeglichen} ({_prozent(s.abgeglichen, s.fassungen)})",
            f"{len(s.ohne_fundstelle)} von {s.pflicht_fassungen}", str(len(s.link_nicht_amtlich)),
            str(len(s.norm_nicht_ermittelt)), str(len(s.programmende))]

__all__ = ["pruefe_quellen", "quellenbericht", "als_text", "Landesstand", "braucht_fundstelle", "fehlende_fundstellen",
           "programmende", "VORLAUF_PROGRAMMENDE"]
