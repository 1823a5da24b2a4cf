"""``regeln abdeckung``: Land × Gegenstand – wie viele Regeln, wie gut belegt, und wo für einen Kommunaltyp nichts steht.

Ein Gegenstand gilt für ein Land als abgedeckt, wenn es am Stichtag für jeden Kommunaltyp des Landes mindestens eine
Regel gibt – eine echte Pflicht, Option oder Förderung oder ein ausdrücklicher Hinweis („keine kommunale
Zuständigkeit“). Schwächster Prüfstatus: der schlechteste Beleg unter den am Stichtag geltenden Fassungen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from engine.begriffe import ABGEDECKTE_GEGENSTAENDE, GEGENSTAENDE, KOMMUNALTYPEN, LAENDER, Pruefstatus, konkrete_typen
from engine.regeln.basis import Regelbasis

RANG = {Pruefstatus.amtlich: 0, Pruefstatus.verifiziert: 1, Pruefstatus.sekundaerquelle: 2, Pruefstatus.unverifiziert: 3}
KURZ = {Pruefstatus.amtlich: "amtlich", Pruefstatus.verifiziert: "verifiziert", Pruefstatus.sekundaerquelle: "sekundär",
        Pruefstatus.unverifiziert: "unverifiziert"}


@dataclass
class Zelle:
    regeln: int = 0
    schwaechster: Pruefstatus | None = None
    fehlende_typen: list[str] = field(default_factory=list)
    beendet: int = 0  # Förderprogramme, deren letzte Phase vor dem Stichtag endete (die Ausgabe sagt es)

    def text(self) -> str:
        if not self.regeln:
            return "– keine Regel"
        text = f"{self.regeln} · {KURZ[self.schwaechster]}" if self.schwaechster else f"{self.regeln}"
        if self.beendet:
            text += f" · {self.beendet} Förderphase{'n' if self.beendet > 1 else ''} beendet"
        if self.fehlende_typen:
            text += " · fehlt: " + ", ".join(KOMMUNALTYPEN[t].bezeichnung for t in self.fehlende_typen)
        return text


def abdeckung(regelbasis: Regelbasis, stichtag: dt.date) -> dict[str, dict[str, Zelle]]:
    tabelle: dict[str, dict[str, Zelle]] = {}
    for land, info in LAENDER.items():
        zeile = tabelle.setdefault(land, {})
        regeln = [r for r in regelbasis.fuer_land(land) if r.land == land]
        for gegenstand in ABGEDECKTE_GEGENSTAENDE:
            zelle = zeile.setdefault(gegenstand, Zelle())
            eigene = [r for r in regeln if r.gegenstand == gegenstand]
            zelle.regeln = len(eigene)
            geltend = [(r, r.version_am(stichtag)) for r in eigene]
            geltend = [(r, t[1]) for r, t in geltend if t is not None]
            for _, version in geltend:
                status = version.zitat.pruefstatus
                if zelle.schwaechster is None or RANG[status] > RANG[zelle.schwaechster]:
                    zelle.schwaechster = status
            beendet = [r for r in eigene if r.foerderung is not None and r.versionen[-1].gueltig_bis is not None
                       and r.versionen[-1].gueltig_bis < stichtag]
            zelle.beendet = len(beendet)
            aussagen = [r for r, _ in geltend] + beendet  # „Förderphase endete am …“ ist auch eine Aussage
            for typ in info.typen:
                if not any(typ in konkrete_typen(r.typen) for r in aussagen):
                    zelle.fehlende_typen.append(typ)
    return tabelle


def vollstaendig(tabelle: dict[str, dict[str, Zelle]]) -> bool:
    return all(z.regeln and not z.fehlende_typen for zeile in tabelle.values() for z in zeile.values())


def als_text(tabelle: dict[str, dict[str, Zelle]], markdown: bool = False,
             abgeglichen: dict[str, str] | None = None) -> str:
    """``abgeglichen``: je Land der Anteil der Fassungen mit abgeglichenem Wortlaut (letzte Spalte, wenn gegeben)."""
    kopf = ["Land"] + [GEGENSTAENDE[g].kurz for g in ABGEDECKTE_GEGENSTAENDE]
    zeilen = [[land] + [tabelle[land][g].text() for g in ABGEDECKTE_GEGENSTAENDE] for land in tabelle]
    if abgeglichen is not None:
        kopf.append("Wortlaut abgeglichen")
        for zeile in zeilen:
            zeile.append(abgeglichen.get(zeile[0], "–"))
    if markdown:
        ausgabe = ["| " + " | ".join(kopf) + " |", "|" + "---|" * len(kopf)]
        ausgabe += ["| " + " | ".join(z) + " |" for z in zeilen]
        return "\n".join(ausgabe) + "\n"
    breiten = [max(len(k), *(len(z[i]) for z in zeilen)) for i, k in enumerate(kopf)]
    ausgabe = ["  ".join(k.ljust(b) for k, b in zip(kopf, breiten))]
    ausgabe += ["  ".join(c.ljust(b) for c, b in zip(z, breiten)) for z in zeilen]
    return "\n".join(ausgabe) + "\n"


__all__ = ["abdeckung", "als_text", "vollstaendig", "Zelle"]
