"""Baut engine/daten/kommunen.csv.gz und engine/daten/kreise_auslaenderanteil.csv.gz aus den Rohdaten
(Destatis-Gemeindeverzeichnis, Zensus 2022, INKAR) und die Bezirke Berlins und Hamburgs aus engine/daten/bezirke.csv.

Aufruf:  python scripts/baue_kommunendaten.py [VERZEICHNIS_DER_ROHDATEN]   (Standard: ../shared/daten)

Eine Zeile je Gemeinde (10.752, ohne gemeindefreie Gebiete), je Landkreis/Kreis/Region/Regionalverband
(kreisfreie Städte stehen als Gemeinden darin) und je Bezirk (Berlin 12, Hamburg 7). Zahlen:
- einwohner: Bevölkerung 31.12.2023 (GV-ISys, Gebietsstand 31.12.2024); einwohner_zensus: Zensus 2022;
- auslaender_basis*: Zahl am Basisstichtag mit Rundungsspanne – Zensus 2022: Anteil (auf 0,1 gerundet) ×
  Zensus-Bevölkerung, Spanne (Anteil ± 0,05 Prozentpunkte) × Zensus-Bevölkerung; geheim gehaltener Anteil → 0 bis
  Einwohner; Bezirke: Melderegister 31.12.2024 (exakt);
- Kreise: Summen über ihre Gemeinden; geheim gehaltene Gemeindeanteile gehen mit dem Anteil des Kreises ein (Spanne
  0 bis doppelter Anteil), damit die Kreissumme nicht um die ganze Einwohnerzahl dieser Gemeinden unsicher wird – es sei
  denn, der Kreisanteil selbst ist veröffentlicht (engine/daten/zensus_kreise.csv): dann zählt er, mit seiner Rundung.
Die Fortschreibung auf einen Stichtag geschieht zur Laufzeit (engine/kommunen/alterung.py) mit der Kreisreihe
(INKAR-Ausländeranteil 1995–2022 und Zensusanteil des Kreises).
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
from fractions import Fraction
from pathlib import Path

LAND_CODES = {"01": "SH", "02": "HH", "03": "NI", "04": "HB", "05": "NW", "06": "HE", "07": "RP", "08": "BW",
              "09": "BY", "10": "SL", "11": "BE", "12": "BB", "13": "MV", "14": "SN", "15": "ST", "16": "TH"}

NI_GROSSE_SELBSTAENDIGE = {"03351006", "03352011", "03153017", "03252006", "03254021", "03454032", "03355022"}
SPALTEN = ["ags", "art", "name", "land", "typ", "typ_herleitung", "kreis_ags", "kreis_name", "einwohner",
           "einwohner_zensus", "basis", "basis_stichtag", "auslaender_basis", "auslaender_basis_von",
           "auslaender_basis_bis", "anteil_pct", "anteil_geheim"]


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
        pct = z["auslaenderanteil_pct"] if z else ""
        basis_e = ez if ez is not None else e
        if pct:
            p = Decimal(pct)
            a = int((p * basis_e / 100).to_integral_value())
            a_von = max(0, math.floor((p - Decimal("0.05")) * basis_e / 100))
            a_bis = min(basis_e, math.ceil((p + Decimal("0.05")) * basis_e / 100))
        else:
            a, a_von, a_bis = 0, 0, basis_e
        typ, herleitung = gemeindetyp(r, e)
        zeilen.append({
            "ags": r["ags"], "art": "gemeinde", "name": r["name"], "land": LAND_CODES[r["land"]], "typ": typ,
            "typ_herleitung": herleitung, "kreis_ags": r["kreis_ags"], "kreis_name": r["kreis_name"],
            "einwohner": e, "einwohner_zensus": ez if ez is not None else "", "basis": "zensus2022",
            "basis_stichtag": "2022-05-15", "auslaender_basis": a, "auslaender_basis_von": a_von,
            "auslaender_basis_bis": a_bis, "anteil_pct": pct, "anteil_geheim": "" if pct else "1",
            "_kreis_typ": r["kreis_typ"],
        })
    kreise: dict[str, dict] = {}
    anteile = kreisanteile(zeilen)
    for z in zeilen:
        if z["_kreis_typ"] in ("Kreisfreie Stadt", "Stadtkreis", ""):
            continue
        k = kreise.setdefault(z["kreis_ags"], {
            "ags": z["kreis_ags"], "art": "kreis", "name": z["kreis_name"], "land": z["land"],
            "typ": kreistyp({"kreis_ags": z["kreis_ags"], "kreis_typ": z["_kreis_typ"]}),
            "typ_herleitung": f"Gemeindeverzeichnis: {z['_kreis_typ']}", "kreis_ags": z["kreis_ags"], "kreis_name": "",
            "einwohner": 0, "einwohner_zensus": 0, "basis": "zensus2022", "basis_stichtag": "2022-05-15",
            "auslaender_basis": 0, "auslaender_basis_von": 0, "auslaender_basis_bis": 0, "anteil_pct": "",
            "anteil_geheim": ""})
        k["einwohner"] += z["einwohner"]
        k["einwohner_zensus"] += z["einwohner_zensus"] or 0
        if z["anteil_geheim"]:
            # Geheim gehaltener Anteil: für die Kreissumme mit dem Anteil des Kreises geschätzt (0 bis doppelt so
            # hoch) – die Gemeinde selbst behält 0 bis Einwohnerzahl, der Kreis nicht.
            k["anteil_geheim"] = "1"
            e = z["einwohner_zensus"] or z["einwohner"]
            anteil = anteile.get(z["kreis_ags"], Fraction(0))
            k["auslaender_basis"] += round(anteil * e)
            k["auslaender_basis_bis"] += min(e, math.ceil(2 * anteil * e))
            continue
        for feld in ("auslaender_basis", "auslaender_basis_von", "auslaender_basis_bis"):
            k[feld] += z[feld]
    for z in zeilen:
        del z["_kreis_typ"]
    for kreis_ags, pct in zensus_kreise().items():  # der veröffentlichte Kreisanteil statt der Summe mit Schätzungen
        k = kreise[kreis_ags]
        p, e = Decimal(pct), k["einwohner_zensus"]
        k.update(auslaender_basis=int((p * e / 100).to_integral_value()),
                 auslaender_basis_von=max(0, math.floor((p - Decimal("0.05")) * e / 100)),
                 auslaender_basis_bis=min(e, math.ceil((p + Decimal("0.05")) * e / 100)),
                 anteil_pct=pct, anteil_geheim="")
    return zeilen + sorted(kreise.values(), key=lambda k: k["ags"]) + bezirke()


ZENSUS_KREISE = Path(__file__).resolve().parent.parent / "engine" / "daten" / "zensus_kreise.csv"


def zensus_kreise() -> dict[str, str]:
    """Kreis-AGS → im Zensus 2022 veröffentlichter Ausländeranteil des Kreises (Text, eine Nachkommastelle) – für
    Kreise, deren Summe sonst geheim gehaltene Gemeindeanteile schätzen müsste (Quellen in der Datei)."""
    with open(ZENSUS_KREISE, encoding="utf-8") as f:
        return {r["kreis_ags"]: r["anteil_pct"] for r in csv.DictReader(z for z in f if not z.startswith("#"))}


def kreisanteile(zeilen: list[dict]) -> dict[str, Fraction]:
    """Ausländeranteil je Kreis aus seinen Gemeinden mit veröffentlichtem Anteil (exakt als Bruch)."""
    summe: dict[str, list[int]] = {}
    for z in zeilen:
        if z["anteil_geheim"] or not z["einwohner_zensus"]:
            continue
        s = summe.setdefault(z["kreis_ags"], [0, 0])
        s[0] += z["auslaender_basis"]
        s[1] += z["einwohner_zensus"]
    return {k: Fraction(a, e) for k, (a, e) in summe.items() if e}


BEZIRKE = Path(__file__).resolve().parent.parent / "engine" / "daten" / "bezirke.csv"


def bezirke() -> list[dict]:
    """Die Bezirke Berlins und Hamburgs (Melderegister 31.12.2024, Quellen und Lizenz in bezirke.csv)."""
    zeilen = []
    for r in csv.DictReader(open(BEZIRKE, encoding="utf-8")):
        land_ags = "11" if r["land"] == "BE" else "02"
        zeilen.append({
            "ags": f"{land_ags}0000{r['bezirk_nr']}", "art": "bezirk", "name": r["name"], "land": r["land"],
            "typ": "bezirk", "typ_herleitung": f"Bezirk Nr. {r['bezirk_nr']} ({r['quelle']}); Schlüssel projektintern",
            "kreis_ags": "", "kreis_name": "", "einwohner": int(r["einwohner"]), "einwohner_zensus": "",
            "basis": "melderegister", "basis_stichtag": r["stichtag"], "auslaender_basis": int(r["auslaender"]),
            "auslaender_basis_von": int(r["auslaender_von"]), "auslaender_basis_bis": int(r["auslaender_bis"]),
            "anteil_pct": "", "anteil_geheim": ""})
    return zeilen


def kreisreihen(quelle: Path, zeilen: list[dict]) -> list[dict]:
    """Je Kreis (und kreisfreier Stadt): Zensusanteil aus den Gemeinden (oder der veröffentlichte des Kreises, wo
    Gemeindeanteile geheim sind und er bekannt ist) und die INKAR-Reihe 1995–2022."""
    veroeffentlicht = zensus_kreise()
    summe: dict[str, list[int]] = {}
    for z in zeilen:
        if z["art"] != "gemeinde" or z["anteil_geheim"] or not z["einwohner_zensus"]:
            continue
        s = summe.setdefault(z["kreis_ags"], [0, 0])
        s[0] += z["auslaender_basis"]
        s[1] += z["einwohner_zensus"]
    inkar: dict[str, dict[int, str]] = {}
    for r in csv.DictReader(open(quelle / "inkar_kreise_auslaenderanteil_1995_2022.csv", encoding="utf-8")):
        if r["auslaenderanteil_pct"]:
            inkar.setdefault(r["kreis_ags"], {})[int(r["jahr"])] = r["auslaenderanteil_pct"]
    jahre = range(1995, 2023)
    ergebnis = []
    for kreis in sorted(set(summe) & set(inkar)):
        a, e = summe[kreis]
        anteil = Decimal(veroeffentlicht[kreis]) if kreis in veroeffentlicht else 100 * a / e
        zeile = {"kreis_ags": kreis, "zensus_anteil": f"{anteil:.4f}"}
        zeile.update({f"j{j}": inkar[kreis].get(j, "") for j in jahre})
        ergebnis.append(zeile)
    return ergebnis


def _schreibe(ziel: Path, zeilen: list[dict], spalten: list[str]) -> None:
    puffer = io.StringIO()
    schreiber = csv.DictWriter(puffer, fieldnames=spalten, lineterminator="\n")
    schreiber.writeheader()
    schreiber.writerows(zeilen)
    tmp = ziel.with_suffix(".tmp")
    with gzip.GzipFile(tmp, "wb", mtime=0) as f:  # mtime=0: reproduzierbare Datei
        f.write(puffer.getvalue().encode("utf-8"))
    tmp.replace(ziel)


ZEILEN_JE_BLOCK = 256


def schreibe_in_bloecken(ziel: Path, text: str) -> None:
    """Die CSV als Folge unabhängiger gzip-Glieder zu je ``ZEILEN_JE_BLOCK`` Zeilen, dazu ``<ziel>.index``: die
    Kopfzeile und je Block Anfang, Länge, kleinster und größter AGS. Ganz entpackt ist es dieselbe Datei (gzip liest
    alle Glieder); eine einzelne Kommune findet ``engine/kommunen/daten.py`` über den Index, ohne 1,9 MB zu entpacken."""
    kopf, _, rest = text.partition("\n")
    zeilen = rest.splitlines(keepends=True)
    inhalt, index = b"", [kopf]
    for anfang in range(0, len(zeilen), ZEILEN_JE_BLOCK):
        block = zeilen[anfang:anfang + ZEILEN_JE_BLOCK]
        roh = ((kopf + "\n") if anfang == 0 else "") + "".join(block)
        glied = gzip.compress(roh.encode("utf-8"), compresslevel=9, mtime=0)  # mtime=0: reproduzierbar
        ags = sorted(z.split(",", 1)[0] for z in block)
        index.append(f"{len(inhalt)},{len(glied)},{ags[0]},{ags[-1]}")
        inhalt += glied
    tmp = ziel.with_suffix(".tmp")
    tmp.write_bytes(inhalt)
    tmp.replace(ziel)
    ziel.with_name(ziel.name + ".index").write_text("\n".join(index) + "\n", encoding="utf-8")


def _schreibe_kommunen(ziel: Path, zeilen: list[dict]) -> None:
    puffer = io.StringIO()
    schreiber = csv.DictWriter(puffer, fieldnames=SPALTEN, lineterminator="\n")
    schreiber.writeheader()
    schreiber.writerows(zeilen)
    schreibe_in_bloecken(ziel, puffer.getvalue())


def main() -> None:
    quelle = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent.parent / "shared" / "daten"
    daten = Path(__file__).resolve().parent.parent / "engine" / "daten"
    zeilen = baue(quelle)
    _schreibe_kommunen(daten / "kommunen.csv.gz", zeilen)
    reihen = kreisreihen(quelle, zeilen)
    _schreibe(daten / "kreise_auslaenderanteil.csv.gz", reihen, ["kreis_ags", "zensus_anteil"] + [f"j{j}" for j in range(1995, 2023)])
    gemeinden = sum(1 for z in zeilen if z["art"] == "gemeinde")
    bez = sum(1 for z in zeilen if z["art"] == "bezirk")
    print(f"kommunen.csv.gz: {gemeinden} Gemeinden, {len(zeilen) - gemeinden - bez} Kreise, {bez} Bezirke; "
          f"kreise_auslaenderanteil.csv.gz: {len(reihen)} Kreisreihen")


if __name__ == "__main__":
    main()
