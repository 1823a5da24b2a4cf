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
import math
import re
import unicodedata
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from importlib import resources

from engine.begriffe import KOMMUNALTYPEN, LAENDER
from engine.fehler import KommunalpflichtenFehler
from engine.kommunen import alterung, erstaufnahme, tatsachen
from engine.kommunen.profil import Kommune, Spanne, Unsicherheit

DATENSTAND = ("Gemeindeverzeichnis Destatis (Gebietsstand 31.12.2024, Bevölkerung 31.12.2023); ausländische Einwohner: "
              "geschätzte gemeldete Zahl (Melderegister), fortgeschrieben aus dem Zensus 2022 (15.05.2022)")
LIZENZ = ("Datenlizenz Deutschland – Namensnennung 2.0: © Statistisches Bundesamt (Destatis) 2025; "
          "Statistische Ämter des Bundes und der Länder, Zensus 2022")


class SucheFehler(KommunalpflichtenFehler):
    """AGS oder Name nicht gefunden oder nicht eindeutig (Exit-Code 2)."""


@dataclass(frozen=True)
class Datensatz:
    ags: str
    art: str  # gemeinde | kreis | bezirk
    name: str
    land: str
    typ: str
    typ_herleitung: str
    kreis_ags: str
    kreis_name: str
    einwohner: int  # Fortschreibung 31.12.2023 (Bezirke: Melderegister)
    einwohner_zensus: int | None
    basis: str  # zensus2022 | melderegister
    basis_stichtag: dt.date
    auslaender_basis: int  # am Basisstichtag, mit Rundungsspanne
    auslaender_basis_von: int
    auslaender_basis_bis: int
    anteil_pct: str
    anteil_geheim: bool

    def _einwohner_spanne(self, stichtag: dt.date) -> tuple[int, int]:
        """Fortschreibung 2023 und Zensus 2022 als Spanne; fern davon ± 0,5 % je Jahr Abstand zu 2022/2023."""
        unten, oben = _einwohner_faktoren(stichtag)
        e, z = self.einwohner, self.einwohner_zensus
        if not z:
            return math.floor(e * unten), math.ceil(e * oben)
        return math.floor(min(e, z) * unten), math.ceil(max(e, z) * oben)

    def schaetzung(self, stichtag: dt.date, einwohner_bis: int) -> alterung.Schaetzung:
        if self.anteil_geheim and self.art == "gemeinde":
            return alterung.Schaetzung(0, 0, einwohner_bis,
                                       "Ausländeranteil im Zensus 2022 geheim gehalten: Zahl unbekannt (0 bis Einwohnerzahl). "
                                       "Maßgeblich ist die Zahl der gemeldeten ausländischen Einwohner – mit "
                                       "--auslaendische-einwohner prüfen")
        if self.basis == "melderegister":
            return alterung.schaetze_register(self.auslaender_basis, self.auslaender_basis_von,
                                              self.auslaender_basis_bis, self.basis_stichtag, einwohner_bis, stichtag,
                                              stadt_kreis=self.ags[:5] if self.art == "bezirk" else "")
        kreisebene = self.art == "kreis" or self.typ in ("kreisfreie_stadt", "stadtstaat")
        kreis = self.ags[:5] if kreisebene else self.kreis_ags
        zuschlaege = erstaufnahme.zuschlaege(self.ags, stichtag)
        if self.anteil_geheim and self.art == "kreis":
            zuschlaege += (alterung.Zuschlag(0, "Gemeinden mit geheim gehaltenem Zensusanteil gehen mit dem Anteil des "
                                                "Kreises ein (0 bis doppelter Anteil)"),)
        elif self.art == "kreis" and self.anteil_pct:
            zuschlaege += (alterung.Zuschlag(0, kreisanteil_herkunft(self.ags, self.anteil_pct)),)
        return alterung.schaetze(self.auslaender_basis, self.auslaender_basis_von, self.auslaender_basis_bis, kreis,
                                 einwohner_bis, stichtag, ist_kreisebene=kreisebene, zuschlaege=zuschlaege)

    def profil(self, stichtag: dt.date | None = None) -> Kommune:
        """Das Profil am Stichtag: geschätzte Zahlen mit Spanne (``alterung``), Statusänderungen und belegte Tatsachen
        aus amtlichen Listen (``tatsachen``) ab ihrem Datum; alle übrigen Merkmale bleiben unbekannt."""
        stichtag = stichtag or dt.date.today()
        typ, herleitung = self.typ, self.typ_herleitung
        aenderung = tatsachen.typaenderung(self.ags, stichtag) if self.art == "gemeinde" else None
        if aenderung is not None:
            typ = aenderung.typ_ab
            herleitung = (f"seit {aenderung.gueltig_ab:%d.%m.%Y} {KOMMUNALTYPEN[typ].bezeichnung} "
                          f"({aenderung.quelle}); vorher: {herleitung}")
        datensatz = self
        if self.art == "kreis":
            for weg in tatsachen.ausgegliedert(self.ags, stichtag):
                g = nach_ags(weg.ags)
                datensatz = replace(datensatz, einwohner=datensatz.einwohner - g.einwohner,
                                    einwohner_zensus=(datensatz.einwohner_zensus or 0) - (g.einwohner_zensus or 0),
                                    auslaender_basis=datensatz.auslaender_basis - g.auslaender_basis,
                                    auslaender_basis_von=datensatz.auslaender_basis_von - g.auslaender_basis_von,
                                    auslaender_basis_bis=datensatz.auslaender_basis_bis - g.auslaender_basis_bis)
                herleitung += f"; ohne {_anzeigename(weg.name)} (seit {weg.gueltig_ab:%d.%m.%Y} kreisfrei)"
        e_von, e_bis = datensatz._einwohner_spanne(stichtag)
        schaetzung = datensatz.schaetzung(stichtag, e_bis)
        belegt = tatsachen.tatsachen(self.ags, stichtag)
        return Kommune.vertraut(
            name=anzeigename(self), ags=self.ags, land=self.land, typ=typ, einwohner=min(max(datensatz.einwohner, e_von), e_bis),
            auslaendische_einwohner=min(schaetzung.mitte, datensatz.einwohner), quelle=self.quelle(),
            stichtag_daten=stichtag,
            kreis=(kreis_anzeigename(self) if self.art == "gemeinde" and typ not in ("kreisfreie_stadt", "stadtstaat")
                   else None),
            typ_herleitung=herleitung,
            merkmale={t.merkmal: t.wert for t in belegt},
            merkmal_quellen={t.merkmal: t.quelle for t in belegt},
            unsicherheit=Unsicherheit.vertraut(
                einwohner=Spanne.vertraut(von=e_von, bis=e_bis),
                auslaendische_einwohner=Spanne.vertraut(von=min(schaetzung.von, schaetzung.mitte), bis=schaetzung.bis),
                grund=schaetzung.grund,
            ),
        )

    def quelle(self) -> str:
        if self.basis == "melderegister":
            return bezirksquelle(self.ags)
        return _QUELLE


@lru_cache(maxsize=64)
def _einwohner_faktoren(stichtag: dt.date) -> tuple[float, float]:
    """Je Stichtag einmal (``batch`` fragt für jede Kommune): die Faktoren der Einwohnerspanne nach unten und oben."""
    abstand = max((ZENSUSTAG - stichtag).days, (stichtag - FORTSCHREIBUNG).days, 0) / 365.25
    return 1 - 0.005 * abstand, 1 + 0.005 * abstand


_QUELLE = f"{DATENSTAND}. {LIZENZ}."
ZENSUSTAG = alterung.ZENSUSTAG
FORTSCHREIBUNG = dt.date(2023, 12, 31)


def anzeigename(d: Datensatz) -> str:
    name = _anzeigename(d.name)
    # „Rhein-Kreis Neuss“, „Main-Kinzig-Kreis“, „Eifelkreis Bitburg-Prüm“ tragen den Kreis schon im Namen
    if d.art == "kreis" and not name.startswith(("Region", "Städteregion")) and "kreis" not in name.lower():
        return ("Kreis " if d.land in ("NW", "SH") else "Landkreis ") + name
    return name


def beschreibung(d: Datensatz) -> str:
    """„Offenbach am Main – kreisfreie Stadt, Hessen“ oder „Rodgau – kreisangehörige Gemeinde, Landkreis Offenbach,
    Hessen“ (der Kreis so, wie er heißt: Kreis Gütersloh, Region Hannover, Städteregion Aachen)."""
    kreis = ""
    if d.art == "gemeinde" and d.kreis_ags and d.typ not in ("kreisfreie_stadt", "stadtstaat"):
        kreis = f", {kreis_anzeigename(d)}"
    return f"{anzeigename(d)} – {KOMMUNALTYPEN[d.typ].bezeichnung}{kreis}, {LAENDER[d.land].name}"


def kreis_anzeigename(d: Datensatz) -> str:
    """Der Kreis einer Gemeinde, wie er heißt („Landkreis Offenbach“, „Kreis Gütersloh“, „Region Hannover“)."""
    return _kreis_anzeigename(d.kreis_ags, d.kreis_name)


@lru_cache(maxsize=4096)  # je Kreis einmal: ``batch`` fragt für jede seiner Gemeinden
def _kreis_anzeigename(kreis_ags: str, kreis_name: str) -> str:
    k = _finde(kreis_ags) if kreis_ags else None
    return anzeigename(k) if k is not None else _anzeigename(kreis_name)


@lru_cache(maxsize=32_768)  # je Name einmal: ganz Deutschland fragt für jede Gemeinde auch nach ihrem Kreis
def _anzeigename(name: str) -> str:
    """„Offenbach am Main, Stadt“ → „Offenbach am Main“ (Zusätze des Verzeichnisses weglassen); „Sulzbach/ Saar“ →
    „Sulzbach/Saar“ (so schreibt die Gemeinde sich; „Bautzen / Budyšin“ mit zwei Leerzeichen bleibt)."""
    name = name.split(",")[0].strip() if "," in name else name
    return re.sub(r"(?<=\S)/ (?=\S)", "/", name) if "/ " in name else name


@lru_cache(maxsize=None)
def _zensus_kreise() -> dict[str, dict]:
    with resources.files("engine.daten").joinpath("zensus_kreise.csv").open(encoding="utf-8") as f:
        return {r["kreis_ags"]: r for r in csv.DictReader(z for z in f if not z.startswith("#"))}


def kreisanteil_herkunft(kreis_ags: str, anteil_pct: str) -> str:
    """Woher die Zensuszahl eines Kreises stammt, dessen Gemeindeanteile teils geheim sind: sein selbst
    veröffentlichter Anteil (engine/daten/zensus_kreise.csv) – die Kreiszahl hängt dann an keiner Schätzung."""
    r = _zensus_kreise().get(kreis_ags)
    herkunft = f" ({r['herausgeber']}, {r['quelle']})" if r else ""
    return (f"Ausländeranteil des Kreises im Zensus 2022 selbst veröffentlicht: {anteil_pct.replace('.', ',')} %"
            f"{herkunft}; geheim gehaltene Gemeindeanteile gehen nicht ein")


def _zahl(text: str) -> int | None:
    return int(text) if text else None


def _datensatz(r: dict) -> Datensatz:
    return Datensatz(
        ags=r["ags"], art=r["art"], name=r["name"], land=r["land"], typ=r["typ"], typ_herleitung=r["typ_herleitung"],
        kreis_ags=r["kreis_ags"], kreis_name=r["kreis_name"], einwohner=int(r["einwohner"]),
        einwohner_zensus=_zahl(r["einwohner_zensus"]), basis=r["basis"],
        basis_stichtag=dt.date.fromisoformat(r["basis_stichtag"]), auslaender_basis=int(r["auslaender_basis"]),
        auslaender_basis_von=int(r["auslaender_basis_von"]), auslaender_basis_bis=int(r["auslaender_basis_bis"]),
        anteil_pct=r["anteil_pct"], anteil_geheim=r["anteil_geheim"] == "1")


DATEI = "kommunen.csv.gz"
_DATEN = resources.files("engine.daten")


@lru_cache(maxsize=1)
def _text() -> str:
    return gzip.decompress(_DATEN.joinpath(DATEI).read_bytes()).decode("utf-8")  # gzip liest alle Glieder


@lru_cache(maxsize=1)
def alle() -> tuple[Datensatz, ...]:
    """Alle 11.065 Datensätze; aus dem Zwischenspeicher (Schlüssel: Datendatei und dieser Code), sonst zerlegt.

    Gespeichert als Zeilen aus einfachen Werten, gleiche Texte und Tage als ein Objekt: so lädt ``batch`` sie in der
    Hälfte der Zeit wie gepickelte Datensätze (gemessen 16 gegen 35 ms) – jede Millisekunde zählt gegen den Kaltstart."""
    from pathlib import Path

    from engine import zwischenspeicher

    schluessel = zwischenspeicher.fingerabdruck([_DATEN.joinpath(DATEI), Path(__file__).resolve()], "kommunen 2")
    if schluessel is not None:
        gespeichert = zwischenspeicher.lies("kommunen", schluessel, {"datetime": frozenset({"date"})})
        if isinstance(gespeichert, tuple) and len(gespeichert) == 2 and gespeichert[0] == _FELDER:
            return _aus_zeilen(gespeichert[1])
    ergebnis = tuple(_datensatz(r) for r in csv.DictReader(io.StringIO(_text())))
    if schluessel is not None:
        einmal: dict = {}
        zeilen = tuple(tuple(einmal.setdefault((type(w), w), w) if isinstance(w, (str, dt.date)) else w
                             for w in (getattr(d, f) for f in _FELDER)) for d in ergebnis)
        zwischenspeicher.schreibe("kommunen", schluessel, (_FELDER, zeilen))
    return ergebnis


_FELDER = tuple(f.name for f in fields(Datensatz))


def _aus_zeilen(zeilen: tuple) -> tuple[Datensatz, ...]:
    """Datensätze aus gespeicherten Zeilen, ohne ``__init__`` (die Werte kommen geprüft aus dem Zwischenspeicher)."""
    neu, felder = object.__new__, _FELDER
    ergebnis = []
    for werte in zeilen:
        d = neu(Datensatz)
        d.__dict__.update(zip(felder, werte))
        ergebnis.append(d)
    return tuple(ergebnis)


def _zeile_mit_ags(ags: str) -> Datensatz | None:
    """Eine Zeile finden, ohne die Datei ganz zu entpacken (Kaltstart von ``check --ags``): die Datei besteht aus
    gzip-Gliedern zu je 256 Zeilen; der Index nennt je Glied Anfang, Länge und kleinsten und größten AGS. Entpackt
    wird nur ein passendes Glied (meist genau eines), zerlegt nur die gefundene Zeile."""
    kopf, bloecke = _index()
    with _DATEN.joinpath(DATEI).open("rb") as datei:
        for anfang, laenge, kleinster, groesster in bloecke:
            if not kleinster <= ags <= groesster:
                continue
            datei.seek(anfang)
            text = "\n" + gzip.decompress(datei.read(laenge)).decode("utf-8")
            pos = text.find(f"\n{ags},")
            if pos >= 0:
                ende = text.find("\n", pos + 1)
                zeile = text[pos + 1:ende if ende >= 0 else None]
                return _datensatz(next(csv.DictReader(io.StringIO(kopf + "\n" + zeile))))
    return None


@lru_cache(maxsize=1)
def _index() -> tuple[str, tuple[tuple[int, int, str, str], ...]]:
    """Kopfzeile der CSV und je gzip-Glied (Anfang, Länge, kleinster AGS, größter AGS); gebaut von
    ``scripts/baue_kommunendaten.py``."""
    kopf, *zeilen = _DATEN.joinpath(DATEI + ".index").read_text(encoding="utf-8").splitlines()
    bloecke = []
    for zeile in zeilen:
        anfang, laenge, kleinster, groesster = zeile.split(",")
        bloecke.append((int(anfang), int(laenge), kleinster, groesster))
    return kopf, tuple(bloecke)


@lru_cache(maxsize=1)
def _bezirksquellen() -> dict[str, str]:
    text = _DATEN.joinpath("bezirke.csv").read_text(encoding="utf-8")
    quellen = {}
    for r in csv.DictReader(io.StringIO(text)):
        ags = ("11" if r["land"] == "BE" else "02") + "0000" + r["bezirk_nr"]
        quellen[ags] = f"{r['quelle']}; {r['url']}. Lizenz: {r['lizenz']}."
    return quellen


def bezirksquelle(ags: str) -> str:
    return _bezirksquellen().get(ags, "")


@lru_cache(maxsize=1)
def _nach_ags() -> dict[str, Datensatz]:
    return {d.ags: d for d in alle()}


def _finde(ags: str) -> Datensatz | None:
    """Über den Index, sobald alle Zeilen zerlegt sind (``batch``, Suche); sonst nur die eine Zeile (Kaltstart). Nie
    je Kommune den ganzen Text durchsuchen, wenn die Zeilen schon da sind: das kostete ``batch`` einmal das Vierfache."""
    if alle.cache_info().currsize:
        return _nach_ags().get(ags)
    return _zeile_mit_ags(ags)


def nach_ags(ags: str) -> Datensatz:
    ags = ags.strip()
    if not (ags.isdigit() and len(ags) in (5, 8)):
        raise SucheFehler(f"„{ags}“ ist kein Amtlicher Gemeindeschlüssel: 8 Ziffern für Gemeinden, 5 für Kreise "
                          "(z. B. 06413000 oder 06438; ohne führende Null 6413000, oder der 12-stellige "
                          "Regionalschlüssel).")
    treffer = _finde(ags)
    if treffer is None:
        if len(ags) == 5:
            kfs = _finde(ags + "000")
            if kfs is not None:
                return kfs  # kreisfreie Stadt: Kreis-AGS = Gemeinde-AGS ohne 000
        raise SucheFehler(f"Unter dem AGS {ags} gibt es im Gemeindeverzeichnis (Gebietsstand 31.12.2024) keine Gemeinde "
                          "und keinen Kreis.")
    return treffer


def finde_ags(text: str) -> Datensatz:
    """``--ags``: auch mit verlorener führender Null, mit Leerzeichen oder als Regionalschlüssel."""
    return nach_ags(ags_aus(unicodedata.normalize("NFKC", text).replace(" ", "").strip()))


def ags_aus(ziffern: str) -> str:
    """AGS aus dem, was Menschen tippen: 8 Ziffern (Gemeinde), 5 (Kreis), 7 bzw. 4 (führende Null verloren, etwa aus
    Excel), 12 (Regionalschlüssel: Land, Bezirk, Kreis, Verband, Gemeinde → AGS ohne die Verbandsstellen)."""
    if len(ziffern) in (7, 4):
        return "0" + ziffern
    if len(ziffern) == 11:
        ziffern = "0" + ziffern
    if len(ziffern) == 12:
        return ziffern[:5] + ziffern[9:]
    return ziffern
