"""Eine Regel als deutsche Prosa, die ein Nicht-Programmierer gegen das Gesetz prüfen kann (``regeln zeigen``)."""

from __future__ import annotations

from engine.begriffe import KOMMUNALTYPEN, PRUEFSTATUS_TEXT, Rolle, land_name
from engine.felder import FELDER
from engine.regeln.basis import Regelbasis, regelbezuege
from engine.regeln.modell import OPERATOR_TEXT, Alle, Bedingung, Eine, Nicht, Regel, RegelBezug, Vergleich, prozentwert
from engine.zahlen import prozent, zahl

_VERB = {"muss": "muss (Pflicht)", "soll": "soll (Soll-Vorschrift: im Regelfall verpflichtend)", "kann": "kann (Option)"}


def _wert(v: Vergleich) -> str:
    feld = FELDER[v.feld]
    if feld.art == "anteil":
        return prozent(prozentwert(v.wert))
    if feld.art == "zahl":
        return zahl(v.wert) if not isinstance(v.wert, list) else ", ".join(zahl(w) for w in v.wert)
    if v.feld == "typ":
        werte = v.wert if isinstance(v.wert, list) else [v.wert]
        return ", ".join(KOMMUNALTYPEN[w].bezeichnung for w in werte)
    return "ja" if v.wert is True else "nein" if v.wert is False else str(v.wert)


def bedingung_prosa(b: Bedingung | None, regelbasis: Regelbasis, einzug: str = "  ") -> list[str]:
    if b is None:
        return [f"{einzug}– ohne weitere Voraussetzung"]
    if isinstance(b, Vergleich):
        feld = FELDER[b.feld]
        name = b.bezeichnung or feld.bezeichnung
        if feld.art == "wahrheitswert":
            ja = (b.op == "eq") == bool(b.wert)
            return [f"{einzug}– {feld.bezeichnung}: {'ja' if ja else 'nein'}"]
        return [f"{einzug}– {name}: {OPERATOR_TEXT[b.op]} {_wert(b)} ({b.op})"]
    if isinstance(b, Alle):
        if len(b.alle) == 1:
            return bedingung_prosa(b.alle[0], regelbasis, einzug)
        return [f"{einzug}alle folgenden:"] + [z for t in b.alle for z in bedingung_prosa(t, regelbasis, einzug + "  ")]
    if isinstance(b, Eine):
        return [f"{einzug}mindestens eine der folgenden:"] + [z for t in b.eine for z in bedingung_prosa(t, regelbasis, einzug + "  ")]
    if isinstance(b, Nicht):
        return [f"{einzug}NICHT:"] + bedingung_prosa(b.nicht, regelbasis, einzug + "  ")
    if isinstance(b, RegelBezug):
        ziel = regelbasis.regel(b.regel) if b.regel in regelbasis.regeln else None
        titel = f"„{ziel.titel}“ ({b.regel})" if ziel else b.regel
        if b.zustand == "erfuellt":
            return [f"{einzug}– die Voraussetzungen von {titel} liegen vor"]
        durch = f" durch {b.durch}" if b.durch else ""
        return [f"{einzug}– {titel} ist entfallen{durch} (Auffangregel)"]
    raise TypeError(b)  # pragma: no cover


def regel_prosa(regel: Regel, regelbasis: Regelbasis) -> str:
    typen = ", ".join(KOMMUNALTYPEN[t].bezeichnung for t in regel.typen)
    z = [f"{regel.titel}", "=" * len(regel.titel), f"Regel-id: {regel.id}", f"Land: {land_name(regel.land)}",
         f"Rechtsstand geprüft am: {regel.stand:%d.%m.%Y}",
         f"Gegenstand: {regel.gegenstand}", f"Gilt für: {typen}"]
    if regel.rolle == Rolle.ausnahme:
        z.append("Art: Ausnahme – verdrängt, wenn ihre Voraussetzungen vorliegen:")
        z += [f"  – {ziel} („{regelbasis.regel(ziel).titel}“)" for ziel in regel.ausnahme_zu if ziel in regelbasis.regeln]
    else:
        verb = _VERB[regel.verbindlichkeit.value] if regel.verbindlichkeit else "keine (Hinweis)"
        z.append(f"Art: {regel.art.value}; Verbindlichkeit: {verb}")
    z += ["", f"Rechtsfolge: {regel.rechtsfolge}"]
    ausnahmen = regelbasis.ausnahmen_zu(regel.id)
    if ausnahmen:
        z += ["", "Ausnahmen (Status dann „entfällt“):"]
        z += [f"  – {a.id}: {a.titel} ({a.versionen[-1].zitat.norm})" for a in ausnahmen]
    auffang = [r for r in regelbasis.regeln.values() if any(
        b.regel == regel.id and b.zustand == "entfaellt" for v in r.regel.versionen for b in regelbezuege(v.bedingung))]
    if auffang:
        z += ["", "Auffangregeln, wenn diese Regel entfällt:"]
        z += [f"  – {g.regel.id}: {g.regel.titel} ({g.regel.verbindlichkeit.value if g.regel.verbindlichkeit else ''})" for g in auffang]
    for index, v in enumerate(regel.versionen):
        bis = f"{v.gueltig_bis:%d.%m.%Y}" if v.gueltig_bis else "heute (offen)"
        z += ["", f"Fassung {index + 1}: gültig vom {v.gueltig_ab:%d.%m.%Y} bis {bis}"]
        if v.luecke_davor:
            z.append(f"  (Lücke davor beabsichtigt: {v.luecke_davor})")
        z.append("  Voraussetzungen:")
        z += bedingung_prosa(v.bedingung, regelbasis, "    ")
        zt = v.zitat
        z += [f"  Rechtsgrundlage: {zt.norm} – {zt.gesetz}"]
        if zt.amtliche_fundstelle:
            z.append(f"  Amtliche Fundstelle: {zt.amtliche_fundstelle}")
        if not zt.norm_ermittelt:
            z.append(f"  Vorbehalt: Norm nicht ermittelt – Zuständigkeit belegt durch {zt.zustaendigkeit_belegt_durch}")
        if zt.recherche:
            z.append(f"  Recherche am {zt.recherche.am:%d.%m.%Y}: {zt.recherche.gesucht}"
                     + (f" – {zt.recherche.ergebnis}" if zt.recherche.ergebnis else ""))
        if zt.fassung:
            z.append(f"  Fassung: {zt.fassung}")
        if zt.wortlaut:
            z.append(f"  Wortlaut: „{zt.wortlaut}“")
            if zt.quelle_wortlaut:
                am = f" (abgeglichen am {zt.abgerufen:%d.%m.%Y})" if zt.abgerufen else ""
                z.append(f"  Wortlaut abgeglichen mit: {zt.quelle_wortlaut}{am}")
        if zt.inhalt:
            z.append(f"  Inhalt (sinngemäß, kein Zitat): {zt.inhalt}")
            if zt.quelle_inhalt:
                z.append(f"  Inhalt nach: {zt.quelle_inhalt}")
        z.append(f"  Link: {zt.url}")
        z.append(f"  Prüfstatus: {zt.pruefstatus.value} – {PRUEFSTATUS_TEXT[zt.pruefstatus]}")
        if zt.pruefhinweis:
            z.append(f"  Noch zu prüfen: {zt.pruefhinweis}")
        if v.hinweis:
            z.append(f"  Hinweis: {v.hinweis}")
    if regel.abweichung_studie:
        z += ["", f"Abweichung der Studie: {regel.abweichung_studie}"]
    if regel.hinweis:
        z += ["", f"Hinweis: {regel.hinweis}"]
    z += ["", f"Datei: {regelbasis.regeln[regel.id].datei}"]
    return "\n".join(z) + "\n"

