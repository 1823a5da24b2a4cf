"""Die mitgelieferten Daten aller Gemeinden und Kreise: Profil nach AGS oder Name, mit ehrlicher Spanne.

Quelle: Gemeindeverzeichnis (Destatis, Gebietsstand 31.12.2024, Bevölkerung 31.12.2023) und Zensus 2022
(Ausländeranteil je Gemeinde, auf 0,1 Prozentpunkte gerundet). Lizenz: Datenlizenz Deutschland – Namensnennung 2.0.
Neu bauen: ``python scripts/baue_kommunendaten.py``.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from engine.begriffe import KOMMUNALTYPEN, LAENDER
from engine.fehler import KommunalpflichtenFehler
from engine.kommunen import tatsachen
from engine.kommunen.profil import Kommune, Spanne, Unsicherheit

DATENSTAND = "Gemeindeverzeichnis Destatis (Gebietsstand 31.12.2024, Bevölkerung 31.12.2023); Zensus 2022 (15.05.2022)"
LIZENZ = ("Datenlizenz Deutschland – Namensnennung 2.0: © Statistisches Bundesamt (Destatis) 2025; "
          "Statistische Ämter des Bundes und der Länder, Zensus 2022")


class SucheFehler(KommunalpflichtenFehler):
    """AGS oder Name nicht gefunden oder nicht eindeutig (Exit-Code 2)."""


@dataclass(frozen=True)
class Datensatz:
    ags: str
    art: str
    name: str
    land: str
    typ: str
    typ_herleitung: str
    kreis_ags: str
    kreis_name: str
    einwohner: int
    einwohner_von: int
    einwohner_bis: int
    einwohner_zensus: int | None
    auslaender: int
    auslaender_von: int
    auslaender_bis: int
    anteil_pct: str
    anteil_geheim: bool

    def profil(self, stichtag: dt.date | None = None) -> Kommune:
        """Das Profil am Stichtag: Statusänderungen und belegte Tatsachen aus amtlichen Listen (``tatsachen``)
        gelten ab ihrem Datum; alle übrigen Merkmale bleiben unbekannt."""
        stichtag = stichtag or dt.date.today()
        if self.anteil_geheim and self.art == "gemeinde":
            grund = "Ausländeranteil im Zensus 2022 geheim gehalten: Zahl unbekannt (0 bis Einwohnerzahl)"
        elif self.art == "kreis":
            grund = ("Summe der Gemeindeschätzungen aus dem Zensus 2022 (Anteile auf 0,1 Prozentpunkte gerundet)"
                     + ("; einzelne Anteile geheim gehalten" if self.anteil_geheim else ""))
        else:
            grund = (f"Zensus-2022-Anteil {self.anteil_pct.replace('.', ',')} % (auf 0,1 Prozentpunkte gerundet), "
                     "umgerechnet auf die Einwohnerzahl; Einwohnerzahl nach Fortschreibung 2023 und Zensus 2022")
        quelle = f"{DATENSTAND}. {LIZENZ}."
        typ, herleitung = self.typ, self.typ_herleitung
        aenderung = tatsachen.typaenderung(self.ags, stichtag) if self.art == "gemeinde" else None
        if aenderung is not None:
            typ = aenderung.typ_ab
            herleitung = (f"seit {aenderung.gueltig_ab:%d.%m.%Y} {KOMMUNALTYPEN[typ].bezeichnung} "
                          f"({aenderung.quelle}); vorher: {herleitung}")
        zahlen = {"einwohner": self.einwohner, "e_von": self.einwohner_von, "e_bis": self.einwohner_bis,
                  "auslaender": self.auslaender, "a_von": self.auslaender_von, "a_bis": self.auslaender_bis}
        if self.art == "kreis":
            for weg in tatsachen.ausgegliedert(self.ags, stichtag):
                g = nach_ags(weg.ags)
                for feld, wert in (("einwohner", g.einwohner), ("e_von", g.einwohner_von), ("e_bis", g.einwohner_bis),
                                   ("auslaender", g.auslaender), ("a_von", g.auslaender_von), ("a_bis", g.auslaender_bis)):
                    zahlen[feld] -= wert
                herleitung += f"; ohne {_anzeigename(weg.name)} (seit {weg.gueltig_ab:%d.%m.%Y} kreisfrei)"
        belegt = tatsachen.tatsachen(self.ags, stichtag)
        return Kommune(
            name=anzeigename(self), ags=self.ags, land=self.land, typ=typ, einwohner=zahlen["einwohner"],
            auslaendische_einwohner=zahlen["auslaender"], quelle=quelle,
            kreis=(_anzeigename(self.kreis_name) if self.art == "gemeinde" and typ not in ("kreisfreie_stadt", "stadtstaat")
                   else None),
            typ_herleitung=herleitung,
            merkmale={t.merkmal: t.wert for t in belegt},
            merkmal_quellen={t.merkmal: t.quelle for t in belegt},
            unsicherheit=Unsicherheit(
                einwohner=Spanne(von=zahlen["e_von"], bis=zahlen["e_bis"]),
                auslaendische_einwohner=Spanne(von=zahlen["a_von"], bis=zahlen["a_bis"]),
                grund=grund,
            ),
        )


def anzeigename(d: Datensatz) -> str:
    name = _anzeigename(d.name)
    if d.art == "kreis" and not name.startswith(("Region", "Kreis", "Landkreis")):
        return ("Kreis " if d.land in ("NW", "SH") else "Landkreis ") + name
    return name


def beschreibung(d: Datensatz) -> str:
    """„Offenbach am Main – kreisfreie Stadt, Hessen“ oder „Rodgau – kreisangehörige Gemeinde, Kreis Offenbach, Hessen“."""
    kreis = f", Kreis {d.kreis_name}" if d.art == "gemeinde" and d.kreis_name and d.typ != "kreisfreie_stadt" else ""
    return f"{anzeigename(d)} – {KOMMUNALTYPEN[d.typ].bezeichnung}{kreis}, {LAENDER[d.land].name}"


def _anzeigename(name: str) -> str:
    """„Offenbach am Main, Stadt“ → „Offenbach am Main“ (Zusätze des Verzeichnisses weglassen)."""
    return name.split(",")[0].strip() if "," in name else name


def _zahl(text: str) -> int | None:
    return int(text) if text else None


@lru_cache(maxsize=1)
def alle() -> tuple[Datensatz, ...]:
    daten = resources.files("engine.daten").joinpath("kommunen.csv.gz").read_bytes()
    text = gzip.decompress(daten).decode("utf-8")
    saetze = []
    for r in csv.DictReader(io.StringIO(text)):
        saetze.append(Datensatz(
            ags=r["ags"], art=r["art"], name=r["name"], land=r["land"], typ=r["typ"], typ_herleitung=r["typ_herleitung"],
            kreis_ags=r["kreis_ags"], kreis_name=r["kreis_name"], einwohner=int(r["einwohner"]),
            einwohner_von=int(r["einwohner_von"]), einwohner_bis=int(r["einwohner_bis"]),
            einwohner_zensus=_zahl(r["einwohner_zensus"]), auslaender=int(r["auslaender"]),
            auslaender_von=int(r["auslaender_von"]), auslaender_bis=int(r["auslaender_bis"]),
            anteil_pct=r["anteil_pct"], anteil_geheim=r["anteil_geheim"] == "1"))
    return tuple(saetze)


@lru_cache(maxsize=1)
def _nach_ags() -> dict[str, Datensatz]:
    return {d.ags: d for d in alle()}


def nach_ags(ags: str) -> Datensatz:
    ags = ags.strip()
    if not (ags.isdigit() and len(ags) in (5, 8)):
        raise SucheFehler(f"„{ags}“ ist kein Amtlicher Gemeindeschlüssel: 8 Ziffern für Gemeinden, 5 für Kreise "
                          "(z. B. 06413000 oder 06438).")
    treffer = _nach_ags().get(ags)
    if treffer is None:
        if len(ags) == 5:
            kfs = _nach_ags().get(ags + "000")
            if kfs is not None:
                return kfs  # kreisfreie Stadt: Kreis-AGS = Gemeinde-AGS ohne 000
        raise SucheFehler(f"Unter dem AGS {ags} gibt es im Gemeindeverzeichnis (Gebietsstand 31.12.2024) keine Gemeinde "
                          "und keinen Kreis.")
    return treffer


def _normal(text: str) -> str:
    """Vergleichsform: klein, Umlaute als ae/oe/ue, ß als ss, übrige Akzente weg, Bindestriche als Leerzeichen."""
    text = text.casefold()
    for umlaut, ersatz in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, ersatz)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.replace("-", " ").split())


def suche(name: str) -> list[Datensatz]:
    """Exakter Name (ohne Zusatz wie „, Stadt“) zuerst; sonst alle, deren Name mit dem Suchtext beginnt oder ihn enthält."""
    gesucht = _normal(name.strip())
    if not gesucht:
        return []
    for praefix in ("landkreis ", "kreis ", "region "):
        if gesucht.startswith(praefix):
            kreise = [d for d in suche(gesucht[len(praefix):]) if d.art == "kreis"]
            if kreise:
                return kreise
    exakt = [d for d in alle() if _normal(_anzeigename(d.name)) == gesucht or _normal(d.name) == gesucht]
    # „Offenbach“ ist genau der Kreis, aber auch der Anfang von „Offenbach am Main“: dann nicht raten, sondern fragen
    weitere = [d for d in alle() if d not in exakt and _normal(d.name).startswith(gesucht + " ")]
    if exakt:
        return exakt + weitere
    anfang = [d for d in alle() if _normal(d.name).startswith(gesucht)]
    return anfang or [d for d in alle() if gesucht in _normal(d.name)]


def nach_name(name: str) -> Datensatz:
    treffer = suche(name)
    if not treffer:
        raise SucheFehler(f"Keine Gemeinde und kein Kreis heißt „{name}“. Tipp: Teil des Namens angeben "
                          "(z. B. „Offenbach“) oder den AGS mit --ags.")
    if len(treffer) > 1:
        zeilen = [f"  {d.ags:<8}  {beschreibung(d)}" for d in treffer[:30]]
        mehr = f"\n  … und {len(treffer) - 30} weitere" if len(treffer) > 30 else ""
        raise SucheFehler(f"„{name}“ ist nicht eindeutig ({len(treffer)} Treffer). Bitte mit --ags wählen:\n"
                          + "\n".join(zeilen) + mehr)
    return treffer[0]
