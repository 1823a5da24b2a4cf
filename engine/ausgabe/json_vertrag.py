"""Der stabile JSON-Vertrag eines Berichts (dokumentiert in docs/json-vertrag.md)."""

from __future__ import annotations

import json

from engine import __version__
from engine.auswertung.bericht import Bericht, Ergebnis, vorbehalt_text
from engine.begriffe import GEGENSTAENDE, KOMMUNALTYPEN, LAENDER, PRUEFSTATUS_TEXT
from engine.kommunen.profil import merkmal_text
from engine.regeln.modell import Zitat
from engine.zahlen import sichtbar


JSON_SCHEMA_VERSION = "1.2"


def json_text(daten, kompakt: bool = False) -> str:
    """JSON mit lesbaren Umlauten, aber Steuer- und Richtungszeichen (U+202E …) als ``\\uXXXX``: verlustfrei (jeder
    JSON-Leser liest dasselbe Zeichen), und ein ``cat bericht.json`` dreht im Terminal nichts um."""
    text = json.dumps(daten, ensure_ascii=False, **({"separators": (",", ":")} if kompakt else {"indent": 2}))
    return sichtbar(text) + "\n"


def zitat_json(zitat: Zitat) -> dict:
    return {
        "norm": zitat.norm,
        "gesetz": zitat.gesetz,
        "url": zitat.url,
        "wortlaut": zitat.wortlaut,
        "inhalt": zitat.inhalt,
        "quelle_inhalt": zitat.quelle_inhalt,
        "fassung": zitat.fassung,
        "pruefstatus": zitat.pruefstatus.value,
        "pruefstatus_text": PRUEFSTATUS_TEXT[zitat.pruefstatus],
        "pruefhinweis": zitat.pruefhinweis,
        "quelle_wortlaut": zitat.quelle_wortlaut,
        "amtliche_fundstelle": zitat.amtliche_fundstelle,
        "abgerufen": zitat.abgerufen.isoformat() if zitat.abgerufen else None,
        "norm_ermittelt": zitat.norm_ermittelt,
        "zustaendigkeit_belegt_durch": zitat.zustaendigkeit_belegt_durch,
        "recherche": ({"am": zitat.recherche.am.isoformat(), "gesucht": zitat.recherche.gesucht,
                       "ergebnis": zitat.recherche.ergebnis} if zitat.recherche else None),
    }


def _foerderung_json(e: Ergebnis) -> dict | None:
    f = e.regel.foerderung
    if f is None or e.foerderung is None:
        return None
    return {
        "programm": f.programm,
        "foerdergeber": f.foerdergeber,
        "bewilligungsbehoerde": f.bewilligungsbehoerde,
        "haushaltsvorbehalt": f.haushaltsvorbehalt,
        "einschaetzung": "grundsätzlich förderfähig" + (" (Förderung unter Haushaltsvorbehalt, kein Rechtsanspruch)"
                                                        if f.haushaltsvorbehalt else ""),
        "hoechstbetrag": e.foerderung.betrag.hoechstbetrag,
        "hoechstbetrag_bezug": e.foerderung.betrag.bezug,
        "hoechstbetrag_jahr": e.foerderung.betrag.hoechstbetrag_jahr,
        "laufzeit": e.foerderung.betrag.laufzeit,
        "berechnung": e.foerderung.betrag.rechnung,
        "antragsfrist": f.antragsfrist,
        "naechste_antragsfrist": e.foerderung.naechste_frist.isoformat() if e.foerderung.naechste_frist else None,
        "foerderzeitraum": f.foerderzeitraum,
        "voraussetzungen": f.voraussetzungen,
        "laeuft_aus": e.foerderung.laeuft_aus.isoformat() if e.foerderung.laeuft_aus else None,
    }


def _selbst(wert):
    return wert


def bericht_json(bericht: Bericht, zitat=zitat_json, fest=_selbst, ergebnis=None) -> dict:
    """Der stabile JSON-Vertrag (dokumentiert in docs/json-vertrag.md). ``zitat`` baut den Eintrag eines Zitats,
    ``fest`` den eines festen Texts einer Regel, ``ergebnis`` (wenn angegeben) den eines Ergebnisses – die
    Massenauswertung setzt Platzhalter für einmal kodierte Teile, siehe ``jsonl_format.JsonlFormat``."""
    return {"schema_version": JSON_SCHEMA_VERSION, "kommune": kommune_json(bericht.kommune, bericht.unbekannte_merkmale),
            **bericht_rest_json(bericht, zitat, fest, ergebnis)}


def kommune_json(k, unbekannte_merkmale) -> dict:
    """Der Block der Kommune: ihre Angaben, die gefragten unbekannten Merkmale als „unbekannt“."""
    return {
        "name": k.name,
        "ags": k.ags,
        "land": k.land,
        "land_name": LAENDER[k.land].name,
        "typ": k.typ,
        "typ_bezeichnung": KOMMUNALTYPEN[k.typ].bezeichnung,
        "einwohner": k.einwohner,
        "auslaendische_einwohner": k.auslaendische_einwohner,
        "merkmale": {name: merkmal_text(k.merkmal(name)) for name in sorted(set(k.merkmale) | set(unbekannte_merkmale))},
        "merkmal_quellen": dict(k.merkmal_quellen),
        "quelle": k.quelle,
        "typ_herleitung": k.typ_herleitung,
        "spannen": {f: {"von": k.spanne(f)[0], "bis": k.spanne(f)[1]} for f in ("einwohner", "auslaendische_einwohner")}
        if k.unsicherheit else None,
        "unsicherheit_grund": k.unsicherheit.grund if k.unsicherheit else None,
        "stichtag_daten": k.stichtag_daten.isoformat() if k.stichtag_daten else None,
    }


def bericht_rest_json(bericht: Bericht, zitat=zitat_json, fest=_selbst, ergebnis=None, nicht_erfuellt=None,
                      demnaechst=None) -> dict:
    """Alles nach dem Block der Kommune, in der Reihenfolge des Vertrags. ``nicht_erfuellt`` baut (wenn angegeben) den
    Eintrag einer nicht erfüllten Regel, ``demnaechst`` den ganzen Abschnitt „Demnächst“ (siehe ``JsonlFormat``)."""
    return {
        "stichtag": bericht.stichtag.isoformat(),
        "ergebnisse": [ergebnis_json(bericht, e, zitat, fest) if ergebnis is None else ergebnis(bericht, e)
                       for e in bericht.ergebnisse],
        "nicht_erfuellt": [nicht_erfuellt_json(n) if nicht_erfuellt is None else nicht_erfuellt(n)
                           for n in bericht.nicht_erfuellt],
        "luecken": [{"gegenstand": g, "bezeichnung": GEGENSTAENDE[g].bezeichnung} for g in bericht.luecken],
        "beendete_programme": [
            {"regel": p.regel.id, "titel": p.regel.titel, "programm": p.regel.foerderung.programm,
             "ende": p.ende.isoformat(), "fortfuehrung": p.fortfuehrung, "nachfolger": p.nachfolger,
             "text": beendet_text(p)}
            for p in bericht.beendete_programme
        ],
        "demnaechst": demnaechst_json(bericht.demnaechst) if demnaechst is None else demnaechst(bericht.demnaechst),
        "meta": {
            "kommunalpflichten": __version__,
            "regelbasis": bericht.regelbasis.fingerabdruck,
            "inferenz": bericht.auswerter,
        },
    }


def nicht_erfuellt_json(n) -> dict:
    """Der Eintrag einer Pflicht oder Förderung, deren Tatbestand nicht erfüllt ist, in ``nicht_erfuellt``."""
    return {
        "regel": n.regel.id,
        "titel": n.regel.titel,
        "art": n.regel.art.value,
        "verbindlichkeit": n.regel.verbindlichkeit.value if n.regel.verbindlichkeit else None,
        "norm": n.regel.versionen[n.version_index].zitat.norm,
        "begruendung": n.begruendung,
        "abstand": n.abstand,
    }


def demnaechst_json(eintraege) -> list:
    return [{"datum": d.datum.isoformat(), "art": d.art, "text": d.text, "regel": d.regel, "norm": d.norm}
            for d in eintraege]


def ergebnis_json(bericht: Bericht, e: Ergebnis, zitat=zitat_json, fest=_selbst) -> dict:
    """Der Eintrag eines Ergebnisses in ``ergebnisse``."""
    return {
        "regel": e.regel.id,
        "art": e.regel.art.value,
        "gegenstand": e.regel.gegenstand,
        "verbindlichkeit": e.regel.verbindlichkeit.value if e.regel.verbindlichkeit else None,
        "status": e.status.value,
        "titel": fest(e.regel.titel),
        "rechtsfolge": fest(e.rechtsfolge),
        "begruendung": e.begruendung,
        "offen": [{"merkmal": f.merkmal, "frage": f.frage, "bedingung": f.bedingung, "wenn_ja": f.wenn_ja,
                   "wenn_nein": f.wenn_nein, "option": f.option} for f in e.offen],
        "vorbehalte": [_vorbehalt_json(bericht, v) for v in e.vorbehalte],
        "vorbehalt_norm": e.norm_vorbehalt,
        "stand": e.regel.stand.isoformat(),
        "zitat": zitat(e.version.zitat),
        "gueltig_ab": e.version.gueltig_ab.isoformat(),
        "gueltig_bis": e.version.gueltig_bis.isoformat() if e.version.gueltig_bis else None,
        "ausnahmen": [
            {
                "regel": a.regel,
                "titel": a.titel,
                "greift": a.greift,
                "begruendung": a.begruendung,
                "zitat": zitat(a.zitat),
            }
            for a in e.ausnahmen
        ],
        "hinweis": fest(e.version.hinweis or e.regel.hinweis),
        "abweichung_studie": fest(e.regel.abweichung_studie),
        "aufgabentyp": e.regel.aufgabentyp,
        "foerderung": _foerderung_json(e),
        **({"entwurf": True, "hinweis_entwurf": "Szenario – kein geltendes Recht"} if e.regel.entwurf else {}),
    }


def _vorbehalt_json(bericht: Bericht, v) -> dict:
    ausnahme = bericht.regelbasis.regel(v.ausnahme) if v.ausnahme in bericht.regelbasis.regeln else None
    return {"merkmal": v.merkmal, "frage": v.frage, "ausnahme": v.ausnahme,
            "titel": ausnahme.titel if ausnahme else None,
            "norm": ausnahme.versionen[-1].zitat.norm if ausnahme else None, "option": v.option,
            "text": vorbehalt_text(bericht, v)}


def beendet_text(p) -> str:
    if p.fortfuehrung == "beendet":
        return f"Programm endete am {p.ende:%d.%m.%Y}."
    return f"Förderphase endete am {p.ende:%d.%m.%Y}; Fortführung nicht bestätigt."
