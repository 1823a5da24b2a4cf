"""Die einzige Stelle, die durable-rules berührt: ein sorgfältiger Wrapper um seinen C-Kern.

Wir rufen die C-Funktionen von durable-rules direkt auf (``create_ruleset``, ``assert_facts``,
``start_action_for_state``, ``complete_and_start_action``, ``delete_state``) – die Python-Schicht des Pakets mit
ihren Dispatcher-Threads, Closures und Ausnahme-Verschluckung brauchen wir nicht. Abwehrmaßnahmen (siehe
``docs/durable-rules.md`` und ``../shared/recherche/vorbilder-rules-as-code.md``, Abschnitt 6):

* ein Lock um jeden Aufruf (durable-rules ist nicht threadsicher); nach ``fork`` bekommt das Kind ein neues Lock
  (ein im Elternprozess gerade gehaltenes Lock würde das Kind sonst für immer blockieren);
* je Auswertung eine neue Sitzung: zuerst der Wächter-Fakt (verhindert den Absturz von ``delete_state`` in Sitzungen
  ohne gefeuerte Regel), dann der Kommune-Fakt – beide in einem Aufruf; ``delete_state`` im ``finally``;
* „keine Regel passt“ ist ein normales Ergebnis; jeder andere Rückgabecode wird mit Land, Regelsatz und Bedeutung
  gemeldet (``EngineFehler``), nie als nackte Zahl;
* höchstens ``MAX_LIVE_SITZUNGEN`` gleichzeitig lebende Sitzungen (durable-rules stürzt ab 1024 ab);
* Fakten enthalten nur geprüfte ganze Zahlen, Wahrheitswerte und feste Kürzel (Text gegen Zahl vergleicht
  durable-rules lexikografisch);
* Regelsätze je Land und Zeitabschnitt (``kompilieren.epochen``), erst bei Bedarf registriert; der Name enthält den
  Fingerabdruck der Regelbasis, denn registrierte Regelsätze lassen sich nicht ersetzen.

Ist der C-Kern nicht gebaut oder nicht ladbar (kein Compiler bei der Installation), meldet ``verfuegbar()`` den
Grund; ``auswerter_fuer`` nimmt dann den Referenz-Auswerter und jede Ausgabe nennt ihn.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import json
import os
import threading
from fractions import Fraction

from engine.auswertung.bedingungen import Inferenz
from engine.auswertung.beurteilung import zahlenschwellen
from engine.auswertung.kompilieren import Aktion, KompilierterRegelsatz, epoche, kommune_fakt, kompiliere_land
from engine.fehler import EngineFehler
from engine.kommunen.profil import Kommune
from engine.regeln.basis import Regelbasis

MAX_LIVE_SITZUNGEN = 1000  # durable-rules: harte Grenze 1024 je Regelsatz
MAX_AKTIONEN_JE_SITZUNG = 10_000  # Schutz gegen eine nie endende Verkettung

# Bedeutung der Rückgabecodes von durable-rules (src/rules/rules.h), für Meldungen an Menschen
FEHLERCODES = {
    101: "kein Speicher mehr",
    102: "unerwarteter Typ im Regelsatz",
    104: "unerwarteter Wert im Regelsatz",
    106: "zu viele Regeln im Regelsatz",
    107: "zu viele Bedingungen im Regelsatz (Grenze des Rete-Netzes)",
    108: "zu viele Verknüpfungen (Beta-Knoten) im Regelsatz",
    111: "ungültiger Regelsatz",
    112: "zu viele Regelsätze oder Sitzungen",
    113: "ein Ausdruck ist zu groß (z. B. eine zu lange in-Liste)",
    302: "der Fakt hat zu viele Eigenschaften",
    303: "zu viele gleichzeitig passende Bedingungen (Stapel von 64 erschöpft)",
    304: "zu viele Nachrichten in einem Schritt",
    309: "Sitzung nicht gefunden",
}

_LOCK = threading.Lock()


def _neues_lock_nach_fork() -> None:
    global _LOCK
    _LOCK = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_neues_lock_nach_fork)

_KERN = None
_KERN_GRUND: str | None = None
_KERN_DETAIL: str | None = None


def _kern():
    """Das C-Modul von durable-rules (mitgeliefert, siehe vendor/durable_rules) oder ``None`` mit Grund."""
    global _KERN, _KERN_GRUND
    if _KERN is None and _KERN_GRUND is None:
        try:
            import durable_rules_engine  # noqa: PLC0415 - optional, nur hier
        except ImportError as exc:
            # Die Meldung von Python („No module named …“, „undefined symbol …“) ist englisch und für Leser des
            # Berichts ohne Nutzen; sie steht in _KERN_DETAIL für die Fehlersuche.
            global _KERN_DETAIL
            _KERN_DETAIL = str(exc)
            _KERN_GRUND = ("C-Kern nicht installiert, weil bei der Installation kein C-Compiler da war"
                           if isinstance(exc, ModuleNotFoundError) else
                           "C-Kern installiert, lädt aber nicht; bitte mit C-Compiler neu installieren")
        else:
            _KERN = durable_rules_engine
    return _KERN


def verfuegbar() -> tuple[bool, str | None]:
    return _kern() is not None, _KERN_GRUND


def fehlertext(code: int) -> str:
    return f"Fehler {code}: {FEHLERCODES.get(code, 'unbekannter Fehler')}"


def _code_aus(exc: BaseException) -> int | None:
    text = str(exc)
    for teil in text.replace(",", " ").split():
        if teil.isdigit():
            return int(teil)
    return None


class Registrierung:
    """Ein registrierter Regelsatz: kompilierte Form, Handle im C-Kern und Aktion je Regelname."""

    def __init__(self, satz: KompilierterRegelsatz, handle: int):
        self.satz = satz
        self.handle = handle
        self.aktionen = {name: aktion for name, (_, aktion) in satz.regeln.items()}


class DurableAuswerter:
    """Bewertet Kommunen mit durable-rules. Ein Objekt je Regelbasis; Regelsätze entstehen bei Bedarf."""

    name = "durable-rules 2.0.28"

    def __init__(self, regelbasis: Regelbasis):
        if _kern() is None:
            raise EngineFehler(f"durable-rules ist nicht verfügbar: {_KERN_GRUND}.")
        self.regelbasis = regelbasis
        self._registriert: dict[tuple[str, int], Registrierung] = {}
        self._lagegrenzen: dict[tuple, tuple] = {}  # Regelsätze einiger Tage → ihre Grenzen zusammen (siehe ``lage``)
        self._sitzungen = itertools.count(1)
        self.live_sitzungen = 0
        self._pid = os.getpid()

    # ------------------------------------------------------------------ Regelsätze

    def registrierung(self, land: str, stichtag: dt.date) -> Registrierung:
        schluessel = (land, epoche(self.regelbasis, land, stichtag))
        treffer = self._registriert.get(schluessel)
        if treffer is None:
            satz = kompiliere_land(self.regelbasis, land, stichtag)
            treffer = self._registriert[schluessel] = Registrierung(satz, registriere(satz))
        return treffer

    def schliessen(self) -> None:
        """Alle Regelsätze dieses Auswerters im C-Kern löschen (``delete_ruleset``). Ohne das bleibt jeder Regelsatz
        einer neu geladenen Regelbasis bis zum Prozessende im Speicher (rund 10 MB je Regelbasis). Danach darf der
        Auswerter weiterbenutzt werden: er legt die Regelsätze bei Bedarf neu an."""
        kern = _kern()
        with _LOCK:
            registriert, self._registriert = self._registriert, {}
            if os.getpid() != self._pid:
                return  # im Kind nach fork gehören die Handles dem Elternprozess
            for reg in registriert.values():
                try:
                    kern.delete_ruleset(reg.handle)
                except Exception:  # noqa: BLE001 - ein schon gelöschter Regelsatz ist kein Fehler beim Aufräumen
                    pass

    def regelsatz(self, land: str, stichtag: dt.date) -> KompilierterRegelsatz:
        return self.registrierung(land, stichtag).satz

    # ------------------------------------------------------------------ Auswertung

    def inferiere(self, kommune: Kommune, stichtag: dt.date, variante=None, zwischenspeicher: dict | None = None) -> Inferenz:
        """Inferenz für eine Kommune (an einem Stützpunkt ``variante``). Mit ``zwischenspeicher`` wird je kanonischem
        Fakt nur einmal ausgewertet: alle Stützpunkte in denselben Schwellenintervallen erhalten dasselbe Ergebnis."""
        reg = self.registrierung(kommune.land, stichtag)
        fakt = kommune_fakt(kommune, reg.satz, variante)
        if zwischenspeicher is None:
            return self._sitzung(reg, fakt)
        fakt = reg.satz.kanonisch(fakt)
        schluessel = (reg.satz.name, tuple(fakt.values()))  # kommune_fakt legt die Reihenfolge der Attribute fest
        treffer = zwischenspeicher.get(schluessel)
        if treffer is None:
            treffer = zwischenspeicher[schluessel] = self._sitzung(reg, fakt)
        return treffer

    def signatur(self, plan, stichtag: dt.date) -> tuple:
        """Die Klassen aller Stützpunkte des Plans in Kurzform: (Regelsatz, je Belegung der Merkmalsteil, je Zahlenpaar
        der Zahlenteil); die Klasse des Stützpunkts (Belegung i, Zahlenpaar j) ist Merkmalsteil i + Zahlenteil j. Gleiche
        Signatur ⇒ gleiche Klassen an jedem Stützpunkt (``massen.bewerte`` teilt danach ganze Zeilen)."""
        satz = self.registrierung(plan.kommune.land, stichtag).satz
        je_satz = plan.__dict__.setdefault("_signaturen", {})  # Bericht und Demnächst fragen am selben Tag zweimal
        if satz.name in je_satz:
            return je_satz[satz.name]
        teile = satz.klassenteile(plan.kommune, [b[0] for b in plan.belegungen], plan.punkte)
        if teile is None:  # pragma: no cover - andere Form der Fakten: je Stützpunkt
            signatur = satz.name, None, tuple(satz.klassen(plan.kommune, plan.varianten))
        else:
            signatur = satz.name, tuple(teile[0]), tuple(teile[1])
        je_satz[satz.name] = signatur
        return signatur

    def lage(self, plan, tage: tuple) -> tuple:
        """Wo die Zahlen jedes Stützpunkts zu jeder Schwelle liegen, die an einem der ``tage`` zählt (die Grenzen der
        Regelsätze dieser Tage, dazu die Schwellen der Fragen zu Spannen, ``beurteilung.zahlenschwellen``): kleiner,
        gleich oder größer. Gleiche Lage, gleicher Typ, gleiche Merkmale und unbekannte Merkmale ⇒ an jedem dieser Tage
        dieselbe ``signatur`` und dieselben ``zahlenklassen`` – „Demnächst“ fragt so nicht je Tag nach der Signatur."""
        land = plan.kommune.land
        namen = tuple(self.registrierung(land, t).satz.name for t in tage)
        grenzen = self._lagegrenzen.get(namen)
        if grenzen is None:
            e_menge, a_menge, p_menge = set(), set(), set()
            for t in tage:
                e, a, p = self.registrierung(land, t).satz._zahlengrenzen()
                e_menge.update(e or ())
                a_menge.update(a or ())
                p_menge.update(p)
            a_t, e_t, p_t = zahlenschwellen(self.regelbasis, land)
            e_menge.update(e_t)
            a_menge.update(a_t)
            p_menge.update((x.numerator, x.denominator) for x in map(Fraction, p_t))
            grenzen = self._lagegrenzen[namen] = (sorted(e_menge), sorted(a_menge), sorted(p_menge))
        e_g, a_g, p_g = grenzen
        links, rechts = bisect.bisect_left, bisect.bisect_right
        return tuple((links(e_g, e), rechts(e_g, e), links(a_g, a), rechts(a_g, a),
                      *((100 * a * n > z * e) - (100 * a * n < z * e) for z, n in p_g)) for e, a in plan.punkte)

    def inferiere_plan(self, plan, stichtag: dt.date, zwischenspeicher: dict | None = None,
                       signatur: tuple | None = None) -> list[Inferenz]:
        """Alle Stützpunkte eines Plans; gleichwertige Stützpunkte (gleicher kanonischer Fakt) nur einmal – je Profil,
        mit ``zwischenspeicher`` auch über Profile hinweg. durable-rules sieht den echten Fakt des ersten Stützpunkts
        jeder Klasse; die Äquivalenz garantiert, dass jede Regel ihn wie alle anderen der Klasse beurteilt."""
        reg = self.registrierung(plan.kommune.land, stichtag)
        speicher = {} if zwischenspeicher is None else zwischenspeicher
        signatur = signatur or self.signatur(plan, stichtag)
        gemerkt = speicher.get(("plan", signatur))  # gleiche Signatur ⇒ gleiche Klassen ⇒ gleiche Inferenzen
        if gemerkt is not None:
            plan.klassen = gemerkt[0]
            return list(gemerkt[1])
        name, vorne, hinten = signatur
        klassen = hinten if vorne is None else [v + h for v in vorne for h in hinten]
        ergebnis, schluessel_je = [], []
        for i, klasse in enumerate(klassen):
            schluessel = (name, klasse)
            treffer = speicher.get(schluessel)
            if treffer is None:
                treffer = speicher[schluessel] = self._sitzung(reg, kommune_fakt(plan.kommune, reg.satz,
                                                                                  plan.varianten[i]))
            ergebnis.append(treffer)
            schluessel_je.append(schluessel)
        plan.klassen = tuple(schluessel_je)
        speicher[("plan", signatur)] = (plan.klassen, tuple(ergebnis))
        return ergebnis

    def _sitzung(self, reg: Registrierung, fakt: dict) -> Inferenz:
        kern = _kern()
        with _LOCK:
            if self.live_sitzungen >= MAX_LIVE_SITZUNGEN:
                raise EngineFehler("Zu viele gleichzeitig offene durable-rules-Sitzungen.")  # pragma: no cover
            sid = f"s{next(self._sitzungen)}"
            self.live_sitzungen += 1
            angelegt = False
            try:
                nachrichten = json.dumps([{"sid": sid, "t": "_anfang"}, dict(fakt, sid=sid)])
                try:
                    ergebnis = kern.assert_facts(reg.handle, nachrichten)
                except Exception as exc:  # durable-rules meldet Fehler als generische Exceptions
                    raise self._fehler(reg, "beim Einfügen des Fakts", exc) from None
                angelegt = True
                protokoll = self._aktionen(kern, reg, ergebnis[1], sid)
            finally:
                try:
                    if angelegt:
                        kern.delete_state(reg.handle, sid)
                finally:
                    self.live_sitzungen -= 1
        inferenz = Inferenz()
        for aktion in protokoll:
            if aktion.art == "tb":
                inferenz.tatbestaende[aktion.regel] = aktion.version
            elif aktion.art == "ent":
                inferenz.verdraengt.setdefault(aktion.regel, []).append((aktion.ausnahme, aktion.version))
        return inferenz

    def _aktionen(self, kern, reg: Registrierung, zustand, sid: str) -> list[Aktion]:
        """Die gefeuerten Regeln der Sitzung der Reihe nach; abgeleitete Fakten werden nachgeschoben, wenn eine Regel
        auf sie wartet (Ausnahmen, Auffangregeln)."""
        protokoll: list[Aktion] = []
        try:
            antwort = kern.start_action_for_state(reg.handle, zustand)
            nachricht = antwort[1] if antwort else None
            while nachricht:
                if len(protokoll) > MAX_AKTIONEN_JE_SITZUNG:
                    raise EngineFehler(f"Regelsatz {reg.satz.name}: mehr als {MAX_AKTIONEN_JE_SITZUNG} Regelaktionen "
                                       "in einer Auswertung (Endlosverkettung?).")
                regelname = next(iter(json.loads(nachricht)))
                aktion = reg.aktionen[regelname]
                if aktion.art != "anfang":
                    protokoll.append(aktion)
                    if aktion.nachschieben:
                        neu = kern.assert_fact(reg.handle, json.dumps(dict(aktion.fakt(), sid=sid)))
                        if neu[0] not in (0, 1):  # 1: keine Regel wartet in dieser Sitzung auf diesen Fakt
                            raise EngineFehler(f"Regelsatz {reg.satz.name}: {fehlertext(neu[0])}")
                nachricht = kern.complete_and_start_action(reg.handle, zustand)
        except EngineFehler:
            raise
        except Exception as exc:
            raise self._fehler(reg, "bei der Auswertung", exc) from None
        return protokoll

    @staticmethod
    def _fehler(reg: Registrierung, wann: str, exc: BaseException) -> EngineFehler:
        code = _code_aus(exc)
        grund = fehlertext(code) if code is not None else str(exc)
        return EngineFehler(f"durable-rules hat die Auswertung im Regelsatz für {reg.satz.land} "
                            f"({reg.satz.anzahl_regeln()} Regeln) {wann} abgebrochen – {grund}. "
                            "Prüfen Sie die Regeln mit „kommunalpflichten regeln pruefen“.")


def registriere(satz: KompilierterRegelsatz) -> int:
    """Den Regelsatz im C-Kern anlegen; Ablehnung mit Land, Größe und Bedeutung des Fehlercodes."""
    kern = _kern()
    definition = {name: dict(regel) for name, (regel, _) in satz.regeln.items()}
    with _LOCK:
        try:
            return kern.create_ruleset(satz.name, json.dumps(definition, ensure_ascii=False))
        except Exception as exc:
            code = _code_aus(exc)
            grund = fehlertext(code) if code is not None else str(exc)
            raise EngineFehler(f"durable-rules hat den Regelsatz für {satz.land} ({satz.anzahl_regeln()} Regeln) "
                               f"abgelehnt – {grund}.") from None


_AUSWERTER_CACHE: dict[str, object] = {}
MAX_REGELBASEN_IM_SPEICHER = 4  # ältere Auswerter werden geschlossen (ein Server lädt geänderte Regeln neu)


def auswerter_fuer(regelbasis: Regelbasis):
    """Der Auswerter dieser Regelbasis im Prozess: durable-rules, wo sein C-Kern lädt, sonst der Referenz-Auswerter
    (gleiche Semantik, in jedem Testlauf gegen durable-rules verglichen) – die Ausgabe nennt, welcher es war."""
    schluessel = f"{os.getpid()}:{regelbasis.fingerabdruck}"
    if schluessel in _AUSWERTER_CACHE:
        _AUSWERTER_CACHE[schluessel] = _AUSWERTER_CACHE.pop(schluessel)  # zuletzt benutzt nach hinten
    else:
        while len(_AUSWERTER_CACHE) >= MAX_REGELBASEN_IM_SPEICHER:
            alt = _AUSWERTER_CACHE.pop(next(iter(_AUSWERTER_CACHE)))
            if hasattr(alt, "schliessen"):
                alt.schliessen()
        if _kern() is not None:
            _AUSWERTER_CACHE[schluessel] = DurableAuswerter(regelbasis)
        else:
            from engine.auswertung.referenz import ReferenzAuswerter

            auswerter = ReferenzAuswerter(regelbasis)
            auswerter.name = f"Referenz-Auswerter (reines Python, gleiche Ergebnisse; durable-rules: {_KERN_GRUND})"
            _AUSWERTER_CACHE[schluessel] = auswerter
    return _AUSWERTER_CACHE[schluessel]
