"""Baut engine/daten/kommunen.csv.gz aus den Rohdaten (Destatis-Gemeindeverzeichnis, Zensus 2022).

Aufruf:  python scripts/baue_kommunendaten.py [VERZEICHNIS_DER_ROHDATEN]   (Standard: ../shared/daten)

Eine Zeile je Gemeinde (10.752, ohne gemeindefreie Gebiete) und je Landkreis/Kreis/Region/Regionalverband
(kreisfreie Städte stehen als Gemeinden darin). Zahlen:
- einwohner: Bevölkerung 31.12.2023 (GV-ISys, Gebietsstand 31.12.2024);
- einwohner_von/bis: Spanne aus GV 2023 und Zensus 2022 (zwei verschiedene Zählungen);
- auslaender*: aus dem auf 0,1 gerundeten Zensus-Anteil: Punktwert = Anteil × Einwohner 2023, Spanne =
  (Anteil ± 0,05 Prozentpunkte) × (kleinste bzw. größte Einwohnerzahl); geheim gehaltener Anteil → 0 bis Einwohner;
- Kreise: Summen über ihre Gemeinden.
Der Kommunaltyp wird aus dem Verzeichnis abgeleitet; wo er aus der Einwohnerzahl folgt (HE, NW) oder aus einer
gesetzlichen Liste (NI), steht die Herleitung in typ_herleitung.
Lizenz der Daten: Datenlizenz Deutschland – Namensnennung 2.0; © Statistisches Bundesamt (Destatis) 2025;
Statistische Ämter des Bundes und der Länder, Zensus 2022.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import sys
from decimal import Decimal
from pathlib import Path

LAND_CODES = {"01": "SH", "02": "HH", "03": "NI", "04": "HB", "05": "NW", "06": "HE", "07": "RP", "08": "BW",
              "09": "BY", "10": "SL", "11": "BE", "12": "BB", "13": "MV", "14": "SN", "15": "ST", "16": "TH"}

NI_GROSSE_SELBSTAENDIGE = {"03351006", "03352011", "03153017", "03252006", "03254021", "03454032", "03355022"}
SPALTEN = ["ags", "art", "name", "land", "typ", "typ_herleitung", "kreis_ags", "kreis_name", "einwohner",
           "einwohner_von", "einwohner_bis", "einwohner_zensus", "auslaender", "auslaender_von", "auslaender_bis",
           "anteil_pct", "anteil_geheim"]


def gemeindetyp(r: dict, einwohner: int) -> tuple[str, str]:
    land = LAND_CODES[r["land"]]
    ags, gtyp = r["ags"], r["gemeinde_typ"]
    if ags in ("11000000", "02000000"):
        return "stadtstaat", "Stadtstaat (Land und Gemeinde zugleich)"
    if gtyp in ("Kreisfreie Stadt", "Stadtkreis"):
        return "kreisfreie_stadt", f"Gemeindeverzeichnis: {gtyp}"
    if gtyp == "Große Kreisstadt":
        return "grosse_kreisstadt", "Gemeindeverzeichnis: Große Kreisstadt"
    if ags == "03159016":
        return "stadt_goettingen", "§ 16 NKomVG (Stadt Göttingen)"
    if ags == "03241001":
        return "landeshauptstadt_hannover", "§ 15 NKomVG (Landeshauptstadt Hannover)"
    if ags in NI_GROSSE_SELBSTAENDIGE:
        return "grosse_selbstaendige_stadt", "§ 14 Abs. 5 NKomVG (gesetzliche Liste der großen selbständigen Städte)"
    if land == "HE" and einwohner > 50_000:
        return "sonderstatusstadt", "abgeleitet: kreisangehörig mit mehr als 50.000 Einwohnern (§ 4a HGO)"
    if land == "NW" and einwohner > 60_000:
        return ("grosse_kreisangehoerige_stadt", "abgeleitet aus der Einwohnerzahl (mehr als 60.000, § 4 GO NRW); "
                "maßgeblich ist die Bestimmung durch Rechtsverordnung")
    if land == "NW" and einwohner > 25_000:
        return ("mittlere_kreisangehoerige_stadt", "abgeleitet aus der Einwohnerzahl (mehr als 25.000, § 4 GO NRW); "
                "maßgeblich ist die Bestimmung durch Rechtsverordnung")
    verband = mitgliedstyp(r, land)
    if verband is not None:
        return verband
    return "gemeinde", f"Gemeindeverzeichnis: {gtyp}"


# Gemeindeverbände, deren Mitgliedsgemeinden ihre Verwaltungsgeschäfte (ganz oder teilweise) nicht selbst führen
_VERBANDSTYPEN = {"Amt": "amtsangehoerige_gemeinde", "Kirchspielslandgemeinde": "amtsangehoerige_gemeinde",
                  "Verbandsgemeinde": "ortsgemeinde", "Samtgemeinde": "mitgliedsgemeinde",
                  "Verwaltungsgemeinschaft": "mitgliedsgemeinde", "Verwaltungsverband": "mitgliedsgemeinde",
                  "Erfüllende Gemeinde": "mitgliedsgemeinde"}


def _kern(name: str) -> str:
    return name.split(",")[0].strip().casefold()


def mitgliedstyp(r: dict, land: str) -> tuple[str, str] | None:
    """Mitglied eines Amts, einer Verbands-/Samtgemeinde oder Verwaltungsgemeinschaft – nicht die erfüllende Gemeinde."""
    vtyp = r["gemeindeverband_typ"]
    typ = _VERBANDSTYPEN.get(vtyp)
    if typ is None:
        return None
    if vtyp in ("Verwaltungsgemeinschaft", "Erfüllende Gemeinde") and _kern(r["name"]) in r["gemeindeverband_name"].casefold() \
            and land in ("BW", "TH", "BB", "SN"):
        return None  # die erfüllende (Sitz-)Gemeinde führt die Geschäfte selbst
    return typ, f"Gemeindeverzeichnis: Mitglied von „{r['gemeindeverband_name']}“ ({vtyp})"


def kreistyp(r: dict) -> str:
    if r["kreis_ags"] == "03241":
        return "region_hannover"
    if r["kreis_typ"] == "Regionalverband":
        return "regionalverband_saarbruecken"
    return "landkreis"


def baue(quelle: Path) -> list[dict]:
    zensus = {r["ags"]: r for r in csv.DictReader(open(quelle / "zensus2022_gemeinden_auslaenderanteil.csv", encoding="utf-8"))}
    zeilen: list[dict] = []
    for r in csv.DictReader(open(quelle / "gv_gemeinden_31122024.csv", encoding="utf-8")):
        if r["textkennzeichen"] in ("65", "66"):
            continue
        e = int(r["bevoelkerung"])
        z = zensus.get(r["ags"])
        ez = int(z["bevoelkerung_zensus2022"]) if z and z["bevoelkerung_zensus2022"] else None
        e_von, e_bis = (min(e, ez), max(e, ez)) if ez is not None else (e, e)
        pct = z["auslaenderanteil_pct"] if z else ""
        if pct:
            p = Decimal(pct)
            a = int((p * e / 100).to_integral_value())
            a_von = max(0, math.floor((p - Decimal("0.05")) * e_von / 100))
            a_bis = math.ceil((p + Decimal("0.05")) * e_bis / 100)
            a_bis = min(a_bis, e_bis)
        else:
            a, a_von, a_bis = 0, 0, e_bis
        typ, herleitung = gemeindetyp(r, e)
        zeilen.append({
            "ags": r["ags"], "art": "gemeinde", "name": r["name"], "land": LAND_CODES[r["land"]], "typ": typ,
            "typ_herleitung": herleitung, "kreis_ags": r["kreis_ags"], "kreis_name": r["kreis_name"],
            "einwohner": e, "einwohner_von": e_von, "einwohner_bis": e_bis, "einwohner_zensus": ez if ez is not None else "",
            "auslaender": min(a, e), "auslaender_von": min(a_von, e), "auslaender_bis": a_bis,
            "anteil_pct": pct, "anteil_geheim": "" if pct else "1",
            "_kreis_typ": r["kreis_typ"],
        })
    kreise: dict[str, dict] = {}
    for z in zeilen:
        if z["_kreis_typ"] in ("Kreisfreie Stadt", "Stadtkreis", ""):
            continue
        k = kreise.setdefault(z["kreis_ags"], {
            "ags": z["kreis_ags"], "art": "kreis", "name": z["kreis_name"], "land": z["land"],
            "typ": kreistyp({"kreis_ags": z["kreis_ags"], "kreis_typ": z["_kreis_typ"]}),
            "typ_herleitung": f"Gemeindeverzeichnis: {z['_kreis_typ']}", "kreis_ags": z["kreis_ags"], "kreis_name": "",
            "einwohner": 0, "einwohner_von": 0, "einwohner_bis": 0, "einwohner_zensus": 0, "auslaender": 0,
            "auslaender_von": 0, "auslaender_bis": 0, "anteil_pct": "", "anteil_geheim": ""})
        for feld in ("einwohner", "einwohner_von", "einwohner_bis", "auslaender", "auslaender_von", "auslaender_bis"):
            k[feld] += z[feld]
        k["einwohner_zensus"] += z["einwohner_zensus"] or 0
        if z["anteil_geheim"]:
            k["anteil_geheim"] = "1"
    for z in zeilen:
        del z["_kreis_typ"]
    return zeilen + sorted(kreise.values(), key=lambda k: k["ags"])


def main() -> None:
    quelle = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent.parent / "shared" / "daten"
    ziel = Path(__file__).resolve().parent.parent / "engine" / "daten" / "kommunen.csv.gz"
    zeilen = baue(quelle)
    puffer = io.StringIO()
    schreiber = csv.DictWriter(puffer, fieldnames=SPALTEN, lineterminator="\n")
    schreiber.writeheader()
    schreiber.writerows(zeilen)
    tmp = ziel.with_suffix(".tmp")
    with gzip.GzipFile(tmp, "wb", mtime=0) as f:  # mtime=0: reproduzierbare Datei
        f.write(puffer.getvalue().encode("utf-8"))
    tmp.replace(ziel)
    gemeinden = sum(1 for z in zeilen if z["art"] == "gemeinde")
    print(f"{ziel}: {gemeinden} Gemeinden, {len(zeilen) - gemeinden} Kreise, {ziel.stat().st_size} Bytes")


if __name__ == "__main__":
    main()
