"""Die einzige Stelle, die durable-rules berührt: ein sorgfältiger Wrapper um seine bekannten Schwächen.

Abwehrmaßnahmen (siehe ``docs/durable-rules.md`` und die Recherche, Abschnitt 6):

* genau ein ``Host`` je Prozess, ohne die Hintergrund-Threads, die durable-rules sonst startet
  (wir nutzen weder Timer noch Ereignisse; alle Aktionen laufen synchron im ``assert``);
* alle Regelsätze werden einmal registriert, der Name enthält den Fingerabdruck der Regelbasis;
* ein Lock um jeden Aufruf (durable-rules ist nicht threadsicher);
* je Auswertung eine neue Sitzung: zuerst der Wächter-Fakt (verhindert den Absturz von
  ``delete_state`` in Sitzungen ohne gefeuerte Regel), dann der Kommune-Fakt; ``delete_state`` in ``finally``;
* „keine Regel passt“ (``MessageNotHandledException``) ist ein normales Ergebnis;
* höchstens ``MAX_LIVE_SITZUNGEN`` gleichzeitig lebende Sitzungen (durable-rules stürzt ab 1024 ab);
* Fakten enthalten nur geprüfte ganze Zahlen, Wahrheitswerte und feste Kürzel.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import threading

from engine.auswertung.bedingungen import Inferenz
from engine.fehler import EngineFehler
from engine.auswertung.kompilieren import Aktion, KompilierterRegelsatz, kommune_fakt, kompiliere_land
from engine.kommunen.profil import Kommune
from engine.regeln.basis import Regelbasis

MAX_LIVE_SITZUNGEN = 1000  # durable-rules: harte Grenze 1024 je Regelsatz
MAX_REGELN_JE_REGELSATZ = 500  # durable-rules: ab 512 Geschwistern an einem Alpha-Knoten Endlosschleife

_LOCK = threading.Lock()
_HOST = None
_HOST_PID: int | None = None
_REGISTRIERT: set[str] = set()
# Protokoll der laufenden Sitzung; Aktionen laufen synchron in assert_fact, also unter _LOCK.
_PROTOKOLL: list[list[Aktion] | None] = [None]


def _durable():
    try:
        from durable import engine as durable_engine
    except ImportError as exc:  # pragma: no cover - Installationsfehler
        raise EngineFehler(
            "durable-rules ist nicht installiert oder konnte nicht gebaut werden "
            f"({exc}). Installieren Sie es mit „pip install durable-rules==2.0.28“ (braucht gcc und Python-Header)."
        ) from None
    return durable_engine


def _host():
    """Der eine Host des Prozesses (nach ``fork`` wird ein neuer angelegt)."""
    global _HOST, _HOST_PID
    if _HOST is None or _HOST_PID != os.getpid():
        durable_engine = _durable()

        class StillerHost(durable_engine.Host):
            """Host ohne die beiden Dauer-Timer-Threads (Dispatcher), die wir nicht brauchen."""

            def _run(self) -> None:
                return None

        _HOST = StillerHost()
        _HOST_PID = os.getpid()
        _REGISTRIERT.clear()
    return _HOST


class DurableAuswerter:
    """Bewertet Kommunen mit durable-rules. Ein Objekt je Regelbasis; Regelsätze werden einmal kompiliert."""

    name = "durable-rules 2.0.28"

    def __init__(self, regelbasis: Regelbasis):
        self.regelbasis = regelbasis
        self._saetze: dict[str, KompilierterRegelsatz] = {}
        self._sitzungen = itertools.count(1)
        self.live_sitzungen = 0
        with _LOCK:
            host = _host()
            definitionen = {}
            for land in regelbasis.laender():
                satz = kompiliere_land(regelbasis, land)
                if satz.anzahl_regeln() > MAX_REGELN_JE_REGELSATZ:
                    raise EngineFehler(
                        f"Der Regelsatz für {land} hat {satz.anzahl_regeln()} Regeln; durable-rules verträgt "
                        f"höchstens {MAX_REGELN_JE_REGELSATZ} (siehe docs/durable-rules.md)."
                    )
                self._saetze[land] = satz
                if satz.name in _REGISTRIERT:
                    continue
                definitionen[satz.name] = {
                    name: dict(definition, run=_aktion(aktion)) for name, (definition, aktion) in satz.regeln.items()
                }
            if definitionen:
                try:
                    host.set_rulesets(definitionen)
                except Exception as exc:  # durable-rules meldet Fehler als generische Exceptions
                    raise EngineFehler(f"durable-rules hat die Regelsätze abgelehnt: {exc}") from None
                _REGISTRIERT.update(definitionen)

    def regelsatz(self, land: str) -> KompilierterRegelsatz | None:
        return self._saetze.get(land)

    def inferiere(self, kommune: Kommune, stichtag: dt.date, variante=None, zwischenspeicher: dict | None = None) -> Inferenz:
        """Inferenz für eine Kommune (an einem Stützpunkt ``variante``). Mit ``zwischenspeicher`` wird je kanonischem
        Fakt nur einmal ausgewertet: alle Stützpunkte in denselben Schwellenintervallen erhalten dasselbe Ergebnis."""
        satz = self._saetze.get(kommune.land)
        if satz is None:
            return Inferenz()
        fakt = kommune_fakt(kommune, stichtag, satz, variante)
        if zwischenspeicher is None:
            return self._inferiere_fakt(satz, fakt)
        fakt = satz.kanonisch(fakt)
        schluessel = (satz.name, tuple(fakt.values()))  # kommune_fakt legt die Reihenfolge der Attribute fest
        treffer = zwischenspeicher.get(schluessel)
        if treffer is None:
            treffer = zwischenspeicher[schluessel] = self._inferiere_fakt(satz, fakt)
        return treffer

    def inferiere_plan(self, plan, stichtag: dt.date, zwischenspeicher: dict | None = None) -> list[Inferenz]:
        """Alle Stützpunkte eines Plans; gleichwertige Stützpunkte (gleicher kanonischer Fakt) nur einmal."""
        speicher = {} if zwischenspeicher is None else zwischenspeicher
        return [self.inferiere(plan.kommune, stichtag, v, speicher) for v in plan.varianten]

    def _inferiere_fakt(self, satz: KompilierterRegelsatz, fakt: dict) -> Inferenz:
        inferenz = Inferenz()
        durable_engine = _durable()
        with _LOCK:
            host = _host()
            if self.live_sitzungen >= MAX_LIVE_SITZUNGEN:
                raise EngineFehler("Zu viele gleichzeitig offene durable-rules-Sitzungen.")  # pragma: no cover
            sid = f"s{next(self._sitzungen)}"
            fakt = dict(fakt, sid=sid)
            _PROTOKOLL[0] = []
            self.live_sitzungen += 1
            try:
                host.assert_fact(satz.name, {"sid": sid, "t": "_anfang"})
                try:
                    host.assert_fact(satz.name, fakt)
                except durable_engine.MessageNotHandledException:
                    pass  # keine Regel passt: ein normales Ergebnis
                protokoll = _PROTOKOLL[0]
            except EngineFehler:
                raise
            except Exception as exc:
                raise EngineFehler(f"durable-rules hat die Auswertung abgebrochen: {exc}") from None
            finally:
                _PROTOKOLL[0] = None
                try:
                    host.delete_state(satz.name, sid)
                finally:
                    self.live_sitzungen -= 1
        fehler = [a for a in protokoll if isinstance(a, Exception)]
        if fehler:
            raise EngineFehler(f"durable-rules meldete in einer Regelaktion: {fehler[0]!r}")
        for aktion in protokoll:
            if aktion.art == "tb":
                inferenz.tatbestaende[aktion.regel] = aktion.version
            else:
                inferenz.verdraengt.setdefault(aktion.regel, []).append((aktion.ausnahme, aktion.version))
        return inferenz


def _aktion(aktion: Aktion):
    """Aktion einer durable-Regel: protokollieren und die Schlussfolgerung als Fakt nachschieben.

    durable-rules verschluckt Ausnahmen in Aktionen (sie landen nur im Sitzungszustand); deshalb fängt die
    Aktion selbst alles ab und meldet es über das Protokoll, damit ``inferiere`` einen ``EngineFehler`` wirft.
    """
    fakt = aktion.fakt()

    def ausfuehren(c) -> None:
        protokoll = _PROTOKOLL[0]
        if aktion.art == "anfang" or protokoll is None:
            return
        protokoll.append(aktion)
        if not aktion.nachschieben:
            return
        try:
            c.assert_fact(dict(fakt))
        except _durable().MessageNotHandledException:
            pass  # keine Regel wartet in dieser Sitzung auf diesen Fakt
        except Exception as exc:  # noqa: BLE001 - wird als Engine-Fehler weitergereicht
            protokoll.append(exc)

    return ausfuehren


_AUSWERTER_CACHE: dict[str, DurableAuswerter] = {}


def auswerter_fuer(regelbasis: Regelbasis) -> DurableAuswerter:
    """Ein Auswerter je Regelbasis und Prozess (durable-rules kann Regelsätze nicht ersetzen)."""
    schluessel = f"{os.getpid()}:{regelbasis.fingerabdruck}"
    if schluessel not in _AUSWERTER_CACHE:
        _AUSWERTER_CACHE[schluessel] = DurableAuswerter(regelbasis)
    return _AUSWERTER_CACHE[schluessel]
