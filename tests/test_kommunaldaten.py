"""Mitgelieferte Daten: alle 10.752 Gemeinden und die Kreise, AGS als Text, Suche nach Name und AGS."""

from __future__ import annotations

import pytest

from engine.begriffe import LAENDER
from engine.kommunen.daten import SucheFehler, alle, nach_ags
from engine.kommunen.suche import nach_name, suche


def test_alle_gemeinden_und_kreise_laden():
    daten = alle()
    gemeinden = [d for d in daten if d.art == "gemeinde"]
    kreise = [d for d in daten if d.art == "kreis"]
    assert len(gemeinden) == 10_752
    assert len(kreise) == 294  # 400 Kreise und kreisfreie Städte; die 106 kreisfreien stehen als Gemeinden darin
    assert all(isinstance(d.ags, str) and len(d.ags) in (5, 8) and d.ags.isdigit() for d in daten)
    assert len({d.ags for d in daten}) == len(daten)
    assert {d.land for d in daten} == set(LAENDER)


def test_ags_behalten_fuehrende_nullen():
    flensburg = nach_ags("01001000")
    assert flensburg.ags == "01001000" and flensburg.land == "SH"
    assert nach_ags("01001").ags == "01001000"  # kreisfreie Stadt auch über den Kreisschlüssel


def test_jedes_profil_ist_gueltig_und_hat_eine_spanne():
    """Profile aus den mitgelieferten Daten entstehen ohne Prüfung (schneller Kaltstart): hier die volle Prüfung."""
    from engine.kommunen.profilformat import pruefe

    for d in alle():
        k = d.profil()
        assert pruefe("Kommune", k.als_dict()) == k.__dict__, d
        assert k.typ in LAENDER[k.land].typen, d
        von, bis = k.spanne("auslaendische_einwohner")
        assert von <= k.auslaendische_einwohner <= bis
        if d.art == "bezirk":
            assert "Melderegister" in k.unsicherheit.grund and "Lizenz" in k.quelle
        else:
            assert "Zensus 2022" in k.quelle and "Namensnennung 2.0" in k.quelle


def test_abgeleitete_typen_sagen_woher():
    giessen = nach_ags("06531005").profil()
    assert giessen.typ == "sonderstatusstadt" and "§ 4a HGO" in giessen.typ_herleitung
    assert nach_ags("03159016").profil().typ == "stadt_goettingen"
    assert nach_ags("03241").profil().typ == "region_hannover"
    assert nach_ags("10041").profil().typ == "regionalverband_saarbruecken"
    assert nach_ags("11000000").profil().typ == "stadtstaat"
    assert nach_ags("08215109").profil().typ == "grosse_kreisstadt"  # Stutensee


def test_kreissummen():
    kreis = nach_ags("06438")
    gemeinden = [d for d in alle() if d.art == "gemeinde" and d.kreis_ags == "06438"]
    assert kreis.einwohner == sum(d.einwohner for d in gemeinden)
    assert kreis.auslaender_basis == sum(d.auslaender_basis for d in gemeinden)
    assert kreis.auslaender_basis_von == sum(d.auslaender_basis_von for d in gemeinden)


def test_bezirke_berlin_und_hamburg():
    bezirke = [d for d in alle() if d.art == "bezirk"]
    assert sorted(d.land for d in bezirke).count("BE") == 12 and sorted(d.land for d in bezirke).count("HH") == 7
    neukoelln = nach_name("Neukölln").gewaehlt
    assert neukoelln.art == "bezirk" and neukoelln.profil().typ == "bezirk"
    assert sum(d.auslaender_basis for d in bezirke if d.land == "BE") == 971_878  # Berlin gesamt, 31.12.2024


def test_geheim_gehaltener_anteil_ist_ehrlich_unbekannt():
    geheim = [d for d in alle() if d.art == "gemeinde" and d.anteil_geheim]
    assert geheim
    k = geheim[0].profil()
    assert k.spanne("auslaendische_einwohner") == (0, k.spanne("einwohner")[1])
    assert "geheim" in k.unsicherheit.grund


def test_suche_nach_name():
    assert nach_name("Offenbach am Main").gewaehlt.ags == "06413000"
    assert nach_name("koeln").gewaehlt.ags == "05315000"
    assert nach_name("Landkreis München").gewaehlt.ags == "09184"
    with pytest.raises(SucheFehler, match="nicht eindeutig") as info:
        nach_name("Offenbach")
    assert "06413000" in str(info.value) and "Landkreis" in str(info.value) and "Hessen" in str(info.value)
    with pytest.raises(SucheFehler, match="Keine Gemeinde"):
        nach_name("Atlantis an der Spree")
    assert suche("").gewaehlt is None and suche("").kandidaten == []


@pytest.mark.parametrize("ags", ["0641300", "abcdefgh", "99999999", "06999"])
def test_falsche_ags(ags):
    with pytest.raises(SucheFehler):
        nach_ags(ags)


def test_index_der_datendatei_findet_jede_kommune():
    """``check --ags`` entpackt nur ein gzip-Glied der Datendatei (Index von scripts/baue_kommunendaten.py): der Index
    passt zur Datei – jedes Glied enthält genau Zeilen zwischen seinem kleinsten und größten AGS –, und eine Kommune
    ist darüber als dieselbe Zeile zu finden wie beim vollständigen Lesen."""
    import gzip

    from engine.kommunen import daten

    kopf, bloecke = daten._index()
    roh = daten._DATEN.joinpath(daten.DATEI).read_bytes()
    assert bloecke[0][0] == 0 and sum(laenge for _, laenge, _, _ in bloecke) == len(roh)
    teile = []
    for anfang, laenge, kleinster, groesster in bloecke:
        text = gzip.decompress(roh[anfang:anfang + laenge]).decode("utf-8")
        teile.append(text)
        zeilen = text.splitlines()[1 if anfang == 0 else 0:]
        ags = sorted(z.split(",", 1)[0] for z in zeilen)
        assert (ags[0], ags[-1]) == (kleinster, groesster)
    assert "".join(teile) == daten._text() and daten._text().startswith(kopf + "\n")
    for d in alle()[::23] + alle()[-3:]:
        assert daten._zeile_mit_ags(d.ags) == d, d.ags
    assert daten._zeile_mit_ags("06413") is None and daten._zeile_mit_ags("99999999") is None
