"""``regeln pruefen``, Teil Logik: je Land, Gegenstand und Kommunaltyp auf einem Gitter aller Grenzwerte und
Stichtage – Lücken (keine Aussage), Überschneidungen (zwei Regeln entscheiden gleichzeitig verschieden), unerreichbare
Regelfassungen, jeweils mit einem Gegenbeispiel, das sich als Regeltest einfügen lässt.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

from engine.regeln.logik import dnf
from engine.auswertung.bedingungen import Inferenz
from engine.begriffe import GEGENSTAENDE, LAENDER, Art, Rolle, konkrete_typen
from engine.fehler import Fundstelle, Meldung
from engine.felder import FELDER, MERKMALE, OBERGRENZE_EINWOHNER
from engine.kommunen.profil import Kommune
from engine.auswertung.referenz import ReferenzAuswerter
from engine.regeln.basis import Regelbasis, regelbezuege
from engine.regeln.modell import prozentwert
from engine.zahlen import zahl


GITTER_GRENZE = 400_000  # Schutz vor kombinatorischer Explosion; darüber wird gewarnt statt gerechnet
# Schritte = Prüfpunkte × beteiligte Regeln; die mitgelieferte Regelbasis braucht rund 13.000 (größte Gruppe 1.280),
# ein Schritt kostet einige Mikrosekunden – so bleibt die Logikprüfung auch bei feindlichen Regeln unter ~5 s.
AUFWAND_JE_GRUPPE = 250_000
AUFWAND_GESAMT = 600_000


def _stuetzstellen(regeln) -> tuple[list[int], dict[str, list], dict[int, list[int]]]:
    """Einwohner-Werte, Werte je Merkmal und ausländische Einwohner je Einwohnerzahl (an allen Schwellen der Regeln)."""
    schwellen: dict[str, set] = {}
    for regel in regeln:
        for version in regel.versionen:
            for konj in dnf(version.bedingung):
                for lit in konj:
                    if lit.feld is not None:
                        for w in (lit.wert if isinstance(lit.wert, list) else [lit.wert]):
                            schwellen.setdefault(lit.feld, set()).add(w)
    einwohner = {100_000}
    for w in schwellen.get("einwohner", ()):
        einwohner |= {x for x in (w - 1, w, w + 1) if 1 <= x <= OBERGRENZE_EINWOHNER}
    werte: dict[str, list] = {}
    for feld, ws in schwellen.items():
        art = FELDER[feld].art
        if feld in ("einwohner", "auslaendische_einwohner", "auslaenderanteil", "typ"):
            continue
        if art == "wahrheitswert":
            werte[feld] = [False, True]
        elif art == "zahl":
            werte[feld] = sorted({0} | {x for w in ws for x in (w - 1, w, w + 1) if x >= 0})
    ae_schwellen = schwellen.get("auslaendische_einwohner", set())
    anteile = [prozentwert(w) for w in schwellen.get("auslaenderanteil", set())]
    ae_je_einwohner = {}
    for e in sorted(einwohner):
        kandidaten = {0, e}
        for w in ae_schwellen:
            kandidaten |= {x for x in (w - 1, w, w + 1) if 0 <= x <= e}
        for p in anteile:
            g = p * e / 100
            basis = g.numerator // g.denominator
            kandidaten |= {x for x in (basis - 1, basis, basis + 1, basis + 2) if 0 <= x <= e}
        ae_je_einwohner[e] = sorted(kandidaten)
    return sorted(einwohner), werte, ae_je_einwohner


def _stichtage(regeln, ab: dt.date, heute: dt.date) -> list[dt.date]:
    """Die Anfänge der Zeitabschnitte, in denen sich keine der Fassungen ändert (ab ``ab``), und heute."""
    tage = {ab, heute}
    for regel in regeln:
        for v in regel.versionen:
            tage.add(v.gueltig_ab)
            if v.gueltig_bis and v.gueltig_bis < dt.date.max:
                tage.add(v.gueltig_bis + dt.timedelta(days=1))
    return sorted(t for t in tage if t >= ab)


def _profil_text(k: Kommune, tag: dt.date) -> str:
    teile = [f"land: {k.land}", f"typ: {k.typ}", f"einwohner: {k.einwohner}", f"auslaendische_einwohner: {k.auslaendische_einwohner}"]
    if k.merkmale:
        teile.append("merkmale: {" + ", ".join(f"{n}: {str(w).lower()}" for n, w in k.merkmale.items()) + "}")
    return f"stichtag: {tag.isoformat()}, profil: {{{', '.join(teile)}}}"


def _huelle(regelbasis: Regelbasis, start: list, alle_typ: list) -> list:
    """Die Regeln, von denen die Regeln in ``start`` abhängen: ihre Ausnahmen und die Regeln, auf die sie sich beziehen
    (samt deren Ausnahmen) – nur sie bestimmen, was zu diesem Gegenstand gilt."""
    nach_id = {r.id: r for r in alle_typ}
    ausnahmen: dict[str, list] = {}
    for r in alle_typ:
        for ziel in r.ausnahme_zu:
            ausnahmen.setdefault(ziel, []).append(r)
    gesehen: dict[str, object] = {}
    offen = list(start)
    while offen:
        r = offen.pop()
        if r.id in gesehen:
            continue
        gesehen[r.id] = r
        offen += ausnahmen.get(r.id, [])
        for v in r.versionen:
            for b in regelbezuege(v.bedingung):
                for rid in (b.regel, b.durch):
                    if rid in nach_id:
                        offen.append(nach_id[rid])
    return list(gesehen.values())


def pruefe_logik(regelbasis: Regelbasis, heute: dt.date, auslassen: frozenset[str] = frozenset()) -> list[Meldung]:
    """Je Land, Kommunaltyp und Gegenstand auf einem Gitter aller Schwellen, Merkmalswerte und Zeitabschnitte der
    beteiligten Regeln: Lücken, Überschneidungen und unerreichbare Fassungen – mit einem Gegenbeispiel.

    Begrenzt in Schritten (Prüfpunkte × beteiligte Regeln), nicht in Sekunden, damit das Ergebnis nicht von der
    Maschine abhängt; was übersprungen wird, steht als Warnung da und zählt nie als „unerreichbar“. Länder in
    ``auslassen`` (von durable-rules abgelehnt) werden nicht geprüft: ihr Fehler ist schon gemeldet."""
    referenz = ReferenzAuswerter(regelbasis)
    meldungen: list[Meldung] = []
    gefeuert: set[tuple[str, int]] = set()
    erreichbar_geprueft: set[tuple[str, int]] = set()
    verbraucht = 0
    for land in regelbasis.laender():
        regeln = regelbasis.fuer_land(land)
        for typ in LAENDER[land].typen:
            regeln_typ = [r for r in regeln if typ in konkrete_typen(r.typen)]
            for gegenstand in sorted({r.gegenstand for r in regeln}):
                eigene = [r for r in regeln_typ if r.gegenstand == gegenstand and r.rolle == Rolle.regel]
                if not eigene:
                    if GEGENSTAENDE[gegenstand].vollstaendig:
                        erste = min((r for r in regeln if r.gegenstand == gegenstand), key=lambda r: r.id)
                        meldungen.append(Meldung(
                            regelbasis.regeln[erste.id].dokument.fundstelle(("typen",), "typen"),
                            f"Lücke: Für {LAENDER[land].name}, Typ „{typ}“ gibt es keine Regel zum Gegenstand „{gegenstand}“.",
                            hinweis="Ergänzen Sie eine Regel – auch „keine landesrechtliche Pflicht; freiwillig möglich“ ist eine Aussage.",
                        ))
                    continue
                beteiligt = _huelle(regelbasis, eigene, regeln_typ)
                nur = {r.id for r in beteiligt}
                einwohner, werte, ae_je = _stuetzstellen(beteiligt)
                merkmal_namen = sorted(n for n in werte if n in MERKMALE)
                beginn = min(v.gueltig_ab for r in beteiligt for v in r.versionen)
                tage = _stichtage(beteiligt, beginn, heute)
                groesse = sum(len(ae_je[e]) for e in einwohner) * len(tage)
                for n in merkmal_namen:
                    groesse *= len(werte[n])
                aufwand = groesse * len(beteiligt)
                grund = None
                if land in auslassen:
                    grund = "der Regelsatz des Landes ist in durable-rules nicht auswertbar (siehe Fehler)"
                elif groesse > GITTER_GRENZE or aufwand > AUFWAND_JE_GRUPPE:
                    grund = (f"{zahl(groesse)} Prüfpunkte × {len(beteiligt)} Regeln = {zahl(aufwand)} Schritte "
                             f"(höchstens {zahl(GITTER_GRENZE)} Prüfpunkte und {zahl(AUFWAND_JE_GRUPPE)} Schritte)")
                elif verbraucht + aufwand > AUFWAND_GESAMT:
                    grund = f"das Gesamtbudget von {zahl(AUFWAND_GESAMT)} Schritten ist verbraucht"
                if grund is not None:
                    if land not in auslassen:
                        meldungen.append(Meldung(
                            Fundstelle(str(Path(regelbasis.regeln[beteiligt[0].id].dokument.datei).parent)),
                            f"Logikprüfung für {land}/{typ}/{gegenstand} übersprungen: {grund}; Lücken, "
                            "Überschneidungen und Erreichbarkeit dieser Regeln sind nicht geprüft.", schwere="warnung",
                            hinweis="Weniger Schwellen, Regeln oder Merkmale je Gegenstand machen die Prüfung wieder "
                                    "möglich."))
                    continue
                verbraucht += aufwand
                for r in beteiligt:
                    if typ in konkrete_typen(r.typen):
                        erreichbar_geprueft |= {(r.id, i) for i in range(len(r.versionen))}
                luecken_gemeldet: set[str] = set()
                ueberschneidung_gemeldet: set[tuple] = set()
                for e in einwohner:
                    for ae in ae_je[e]:
                        for kombi in itertools.product(*(werte[n] for n in merkmal_namen)):
                            k = Kommune(name="Prüfpunkt", land=land, typ=typ, einwohner=e, auslaendische_einwohner=ae,
                                        merkmale=dict(zip(merkmal_namen, kombi)))
                            for tag in tage:
                                inferenz = referenz.inferiere(k, tag, nur=nur)
                                gefeuert |= set(inferenz.tatbestaende.items())
                                for liste in inferenz.verdraengt.values():
                                    gefeuert |= set(liste)
                                meldungen += _luecken_und_ueberschneidungen(
                                    regelbasis, [r for r in regeln_typ if r.gegenstand == gegenstand], k, tag, inferenz,
                                    luecken_gemeldet, ueberschneidung_gemeldet)
    for regel_id, index in sorted(erreichbar_geprueft - gefeuert):
        g = regelbasis.regeln[regel_id]
        meldungen.append(Meldung(
            g.dokument.fundstelle(("versionen", index)),
            f"Unerreichbar: Die Fassung {index} von „{regel_id}“ trifft auf keinem Prüfpunkt zu.",
            hinweis="Prüfen Sie Bedingung, Typen und Geltungszeitraum (und bei Ausnahmen die Zielregel).",
        ))
    return meldungen


def _luecken_und_ueberschneidungen(regelbasis, regeln_typ, k, tag, inferenz: Inferenz, luecken, ueberschneidungen):
    meldungen = []
    nach_gegenstand: dict[str, list] = {}
    for regel_id in inferenz.tatbestaende:
        regel = regelbasis.regel(regel_id)
        if regel_id in inferenz.verdraengt:
            continue
        nach_gegenstand.setdefault(regel.gegenstand, []).append(regel)
    for gegenstand in sorted({r.gegenstand for r in regeln_typ if r.rolle == Rolle.regel}):
        if not GEGENSTAENDE[gegenstand].vollstaendig:
            continue
        aktiv = [r for r in regeln_typ if r.gegenstand == gegenstand and r.version_am(tag) is not None]
        if not aktiv:
            continue  # zu diesem Tag gilt für den Gegenstand noch gar keine Regel dieses Typs
        if not nach_gegenstand.get(gegenstand) and not any(
            regelbasis.regel(r).gegenstand == gegenstand for r in inferenz.verdraengt
        ):
            schluessel = f"{k.typ}/{gegenstand}"
            if schluessel not in luecken:
                luecken.add(schluessel)
                erste = sorted(aktiv, key=lambda r: r.id)[0]
                meldungen.append(Meldung(
                    regelbasis.regeln[erste.id].dokument.fundstelle(("versionen",)),
                    f"Lücke: keine Aussage zu „{gegenstand}“ für dieses Profil. Gegenbeispiel (als Regeltest einfügbar): "
                    f"{{{_profil_text(k, tag)}}}",
                    hinweis="Ergänzen Sie die Regel für diesen Fall (z. B. das „kann“ für die übrigen Kommunen).",
                ))
    for gegenstand, geltende in nach_gegenstand.items():
        for a, b in itertools.combinations(sorted(geltende, key=lambda r: r.id), 2):
            if (a.art, a.verbindlichkeit) == (b.art, b.verbindlichkeit):
                continue
            if b.id in a.vereinbar_mit or a.id in b.vereinbar_mit:
                continue
            if _ist_auffang(a, b) or _ist_auffang(b, a):
                continue
            paar = (a.id, b.id)
            if paar in ueberschneidungen:
                continue
            ueberschneidungen.add(paar)
            if a.entwurf != b.entwurf:  # ein Szenario überlagert geltendes Recht: gewollt, aber sichtbar
                entwurf, geltend = (a, b) if a.entwurf else (b, a)
                if geltend.art == Art.hinweis and geltend.verbindlichkeit is None:
                    continue  # ein reiner Hinweis („kein Landesprogramm“) widerspricht keinem Entwurf
                meldungen.append(Meldung(
                    regelbasis.regeln[entwurf.id].dokument.fundstelle(("id",)),
                    f"Szenario: „{entwurf.id}“ ({_verb(entwurf)}) gilt neben der geltenden Regel „{geltend.id}“ "
                    f"({_verb(geltend)}). Beispiel: {{{_profil_text(k, tag)}}}", schwere="warnung",
                    hinweis="Gewollt, wenn das Szenario das geltende Recht ergänzt; sonst ersetzen Sie die Regel mit "
                            "derselben id."))
                continue
            meldungen.append(Meldung(
                regelbasis.regeln[a.id].dokument.fundstelle(("id",)),
                f"Überschneidung: „{a.id}“ ({_verb(a)}) und „{b.id}“ ({_verb(b)}) gelten "
                f"gleichzeitig. Gegenbeispiel (als Regeltest einfügbar): {{{_profil_text(k, tag)}}}",
                hinweis="Grenzen Sie die Bedingungen gegeneinander ab oder erklären Sie das Nebeneinander mit vereinbar_mit.",
            ))
    return meldungen


def _verb(regel) -> str:
    return regel.verbindlichkeit.value if regel.verbindlichkeit else "Hinweis"


def _ist_auffang(regel, ziel) -> bool:
    return any(b.regel == ziel.id for v in regel.versionen for b in regelbezuege(v.bedingung))



__all__ = ["pruefe_logik", "GITTER_GRENZE"]
