"""Ende-zu-Ende durch die Kommandozeile: jedes Beispiel, jedes Format, jede Fehlerart."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from cli.main import main

from .conftest import BEISPIELE, WURZEL

BEISPIELDATEIEN = sorted(BEISPIELE.glob("*.yaml"))


def rufe(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize("datei", BEISPIELDATEIEN, ids=lambda p: p.stem)
def test_check_jedes_beispiel_alle_formate(datei):
    js = rufe("check", str(datei), "--format", "json", "--stichtag", "2024-06-01")
    assert js.exit_code == 0
    daten = json.loads(js.output)
    text = rufe("check", str(datei), "--stichtag", "2024-06-01")
    assert text.exit_code == 0, text.output
    assert "AUF EINEN BLICK" in text.output
    voll = rufe("check", str(datei), "--stichtag", "2024-06-01", "--ausfuehrlich")
    md = rufe("check", str(datei), "--format", "markdown", "--stichtag", "2024-06-01")
    assert md.exit_code == 0 and md.output.startswith("# Pflichten und Optionen")
    for e in daten["ergebnisse"]:  # jedes Ergebnis nennt seine Norm – kurz, ausführlich und für die Ratsvorlage
        assert e["zitat"]["norm"] in " ".join(text.output.split()), e["regel"]
        assert e["zitat"]["url"] in voll.output and e["zitat"]["url"] in md.output
        if e["zitat"]["wortlaut"]:
            anfang = " ".join(e["zitat"]["wortlaut"].split())[:40]
            assert anfang in " ".join(voll.output.split()), e["regel"]
    assert daten["stichtag"] == "2024-06-01"
    assert set(daten["kommune"]) >= {"name", "land", "typ", "einwohner", "auslaendische_einwohner"}
    assert daten["ergebnisse"], "nie Schweigen: mindestens eine Aussage"
    for e in daten["ergebnisse"]:
        assert set(e) >= {"regel", "art", "gegenstand", "verbindlichkeit", "status", "titel", "begruendung", "zitat",
                          "gueltig_ab", "gueltig_bis"}
        assert e["art"] in ("pflicht", "foerderung", "hinweis")
        assert e["verbindlichkeit"] in ("muss", "soll", "kann") or (e["art"] == "hinweis" and e["verbindlichkeit"] is None)
        assert e["status"] in ("gilt", "entfaellt", "unbestimmt")
        assert set(e["zitat"]) >= {"norm", "gesetz", "url", "wortlaut", "inhalt"}
        assert e["zitat"]["wortlaut"] or e["zitat"]["inhalt"]


def test_stichtag_waehlt_die_fassung(tmp_path):
    profil = tmp_path / "p.yaml"
    profil.write_text(
        "name: Testgemeinde\nland: HE\ntyp: gemeinde\neinwohner: 20000\nauslaendische_einwohner: 1500\n"
        "merkmale:\n  integrationskommission_gebildet: true\n",
        encoding="utf-8",
    )
    vorher = json.loads(rufe("check", str(profil), "--format", "json", "--stichtag", "2020-05-15").output)
    nachher = json.loads(rufe("check", str(profil), "--format", "json", "--stichtag", "2020-05-16").output)
    status = lambda d: {e["regel"]: e["status"] for e in d["ergebnisse"]}  # noqa: E731
    assert status(vorher)["he.hgo.84.auslaenderbeirat"] == "gilt"
    assert status(nachher)["he.hgo.84.auslaenderbeirat"] == "entfaellt"


FEHLERFAELLE = {
    "fehlt": (None, "existiert nicht"),
    "kaputt": ("name: A\n  land: HE\n", "kein gültiges YAML"),
    "tag": ("name: !!python/object/apply:os.system ['echo hallo']\n", "nicht erlaubt"),
    "unbekannt": ("name: A\nland: HE\ntyp: gemeinde\neinwohner: 5\nauslaendische_einwohner: 1\nfarbe: rot\n", "Unbekanntes Feld"),
    "negativ": ("name: A\nland: HE\ntyp: gemeinde\neinwohner: 5\nauslaendische_einwohner: -1\n", "auslaendische_einwohner"),
    "zu_viele": ("name: A\nland: HE\ntyp: gemeinde\neinwohner: 5\nauslaendische_einwohner: 6\n", "Mehr ausländische"),
    "land": ("name: A\nland: XX\ntyp: gemeinde\neinwohner: 5\nauslaendische_einwohner: 1\n", "Unbekanntes Land"),
    "ags": ('name: A\nags: "05111000"\nland: HE\ntyp: gemeinde\neinwohner: 5\nauslaendische_einwohner: 1\n', "gehört nicht zu Hessen"),
}


@pytest.mark.parametrize("fall", sorted(FEHLERFAELLE))
def test_fehlerhafte_eingaben_im_echten_prozess(tmp_path, fall):
    inhalt, erwartet = FEHLERFAELLE[fall]
    pfad = tmp_path / f"{fall}.yaml"
    if inhalt is not None:
        pfad.write_text(inhalt, encoding="utf-8")
    lauf = subprocess.run([sys.executable, "-m", "cli.main", "check", str(pfad)], cwd=WURZEL, capture_output=True, text=True)
    assert lauf.returncode == 2, lauf
    assert lauf.stdout == ""
    assert "Traceback" not in lauf.stderr
    assert erwartet in lauf.stderr
    assert f"{fall}.yaml" in lauf.stderr
    if inhalt is not None and fall not in ("kaputt",):
        assert "Feld „" in lauf.stderr or "fehler:" in lauf.stderr


def test_falsches_datum_und_format():
    datei = str(BEISPIELDATEIEN[0])
    lauf = rufe("check", datei, "--stichtag", "2023-13-01")
    assert lauf.exit_code == 2 and "diesen Tag gibt es nicht" in lauf.output
    assert rufe("check", datei, "--format", "pdf").exit_code == 2


def test_hilfe_ist_deutsch():
    hilfe = rufe("check", "--help").output
    assert "Rechtsstand an diesem Tag" in hilfe


def test_kaputte_regeldatei_wird_vor_der_auswertung_gemeldet(tmp_path):
    regeln = tmp_path / "hessen"
    regeln.mkdir()
    (regeln / "he.kaputt.yaml").write_text("id: he.kaputt\nland: HE\ntitel: x\n", encoding="utf-8")
    lauf = rufe("check", str(BEISPIELDATEIEN[0]), "--regeln", str(regeln))
    assert lauf.exit_code == 2
    assert "he.kaputt.yaml:" in lauf.output and "Pflichtfeld fehlt" in lauf.output
