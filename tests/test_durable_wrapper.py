"""Der durable-rules-Wrapper unter Last: Sitzungen, Wächter-Fakt, Threads, Absturzisolation.

Lange oder potenziell abstürzende Läufe gehen in einen Unterprozess: ein Segfault von durable-rules
lässt dann nur diesen Test scheitern, nicht den ganzen Testlauf.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
import threading

import pytest

from engine.auswertung import durable as durable_backend
from engine.auswertung.durable import DurableAuswerter
from engine.kommunen.profil import Kommune

from .conftest import WURZEL

TAG = dt.date(2024, 6, 1)


def im_unterprozess(code: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], cwd=WURZEL, capture_output=True, text=True, timeout=timeout
    )


def test_keine_hintergrund_threads_und_sitzungen_werden_geschlossen(durable):
    vorher = threading.active_count()
    k = Kommune(name="X", land="HE", typ="gemeinde", einwohner=5000, auslaendische_einwohner=1001)
    for _ in range(50):
        durable.inferiere(k, TAG)
    assert durable.live_sitzungen == 0
    assert threading.active_count() == vorher


def test_kein_treffer_ist_normales_ergebnis(durable):
    # Vor 1990 gibt es in Hessen keine Regel: keine Regel feuert, trotzdem kein Fehler und kein Absturz
    k = Kommune(name="X", land="HE", typ="gemeinde", einwohner=5000, auslaendische_einwohner=10)
    inferenz = durable.inferiere(k, dt.date(1950, 1, 1))
    assert inferenz.tatbestaende == {} and inferenz.verdraengt == {}
    assert durable.live_sitzungen == 0


def test_zweiter_auswerter_derselben_regelbasis(regelbasis, durable):
    """Ein zweiter Auswerter derselben Regelbasis registriert seine Regelsätze selbst und kommt zum selben Ergebnis."""
    zweiter = DurableAuswerter(regelbasis)
    k = Kommune(name="X", land="HE", typ="gemeinde", einwohner=5000, auslaendische_einwohner=1001)
    assert zweiter.inferiere(k, TAG).normalisiert() == durable.inferiere(k, TAG).normalisiert()


def test_fehler_in_der_sitzung_schliesst_sie_trotzdem(durable, monkeypatch):
    k = Kommune(name="X", land="HE", typ="gemeinde", einwohner=5000, auslaendische_einwohner=1001)

    def kaputt(*args, **kwargs):
        raise RuntimeError("simulierter Fehler")

    monkeypatch.setattr(durable_backend, "kommune_fakt", kaputt)
    with pytest.raises(RuntimeError):
        durable.inferiere(k, TAG)
    monkeypatch.undo()
    assert durable.live_sitzungen == 0
    assert durable.inferiere(k, TAG).tatbestaende


def test_mehr_als_1024_sitzungen_nacheinander(durable):
    """durable-rules stürzt ab der 1025. lebenden Sitzung ab; der Wrapper löscht jede Sitzung sofort."""
    k = Kommune(name="X", land="HE", typ="gemeinde", einwohner=5000, auslaendische_einwohner=1001)
    for _ in range(1500):
        assert durable.inferiere(k, TAG).tatbestaende
    assert durable.live_sitzungen == 0


def test_20000_auswertungen_in_einem_prozess():
    """Dauertest im Unterprozess: ein Absturz von durable-rules lässt nur diesen Test scheitern."""
    ergebnis = im_unterprozess(
        """
        import datetime as dt, resource
        from engine.regeln.basis import lade_regelbasis
        from engine.auswertung.durable import auswerter_fuer
        from engine.auswertung.referenz import ReferenzAuswerter
        from engine.kommunen.profil import Kommune
        from engine.begriffe import LAENDER
        rb = lade_regelbasis(); a = auswerter_fuer(rb); r = ReferenzAuswerter(rb)
        laender = sorted(rb.laender())
        abweichungen = 0
        rss_anfang = None
        for i in range(20000):
            land = laender[i % len(laender)]
            typen = LAENDER[land].typen
            typ = typen[i % len(typen)]
            k = Kommune(name="X", land=land, typ=typ, einwohner=100000, auslaendische_einwohner=(i * 37) % 20000,
                        merkmale={"beiratswahl_ausgefallen": i % 3 == 0, "antrag_wahlberechtigte": i % 400})
            tag = dt.date(2010, 1, 1) + dt.timedelta(days=i % 6000)
            if a.inferiere(k, tag).normalisiert() != r.inferiere(k, tag).normalisiert():
                abweichungen += 1
            if i == 1000:
                rss_anfang = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        rss_ende = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print("OK", abweichungen, a.live_sitzungen, rss_ende - rss_anfang)
        """
    )
    assert ergebnis.returncode == 0, f"Unterprozess endete mit {ergebnis.returncode}: {ergebnis.stderr[-2000:]}"
    ok, abweichungen, live, rss_kb = ergebnis.stdout.split()
    assert ok == "OK" and abweichungen == "0" and live == "0"
    assert int(rss_kb) < 50_000, f"Speicher wuchs um {rss_kb} kB"


def test_threads_werden_serialisiert():
    """durable-rules ist nicht threadsicher; der Wrapper serialisiert. 4 Threads × 500 Auswertungen, im Unterprozess."""
    ergebnis = im_unterprozess(
        """
        import datetime as dt, threading
        from engine.regeln.basis import lade_regelbasis
        from engine.auswertung.durable import auswerter_fuer
        from engine.auswertung.referenz import ReferenzAuswerter
        from engine.kommunen.profil import Kommune
        rb = lade_regelbasis(); a = auswerter_fuer(rb); r = ReferenzAuswerter(rb)
        fehler = []
        def arbeite(n):
            for i in range(500):
                k = Kommune(name="X", land="HE", typ="gemeinde", einwohner=50000, auslaendische_einwohner=(i * n) % 3000,
                            merkmale={"integrationskommission_gebildet": i % 2 == 0})
                tag = dt.date(2021, 1, 1)
                if a.inferiere(k, tag).normalisiert() != r.inferiere(k, tag).normalisiert():
                    fehler.append((n, i))
        threads = [threading.Thread(target=arbeite, args=(n,)) for n in range(1, 5)]
        [t.start() for t in threads]; [t.join() for t in threads]
        print("OK", len(fehler))
        """
    )
    assert ergebnis.returncode == 0, ergebnis.stderr[-2000:]
    assert ergebnis.stdout.split() == ["OK", "0"]


def test_text_statt_zahl_kommt_nie_bei_durable_an():
    """durable-rules vergleicht Text mit Zahlen lexikografisch ("600" ≥ 5000); das Profil lässt Text nicht zu."""
    with pytest.raises(ValueError):
        Kommune(name="X", land="NW", typ="gemeinde", einwohner=100000, auslaendische_einwohner="600")
    with pytest.raises(ValueError):
        Kommune(name="X", land="NW", typ="gemeinde", einwohner=100000, auslaendische_einwohner=True)


def test_fehler_im_c_kern_werden_nicht_verschluckt(durable, monkeypatch):
    """Scheitert das Nachschieben eines abgeleiteten Fakts im C-Kern, wird es ein EngineFehler mit Land und Grund –
    und die Sitzung wird trotzdem gelöscht."""
    from engine.fehler import EngineFehler

    k = Kommune(name="X", land="HE", typ="gemeinde", einwohner=5000, auslaendische_einwohner=1001,
                merkmale={"integrationskommission_gebildet": True})
    echt = durable_backend._kern()

    class Kaputt:
        def __getattr__(self, name):
            return getattr(echt, name)

        def assert_fact(self, handle, text):
            raise Exception("Could not assert fact, error code: 303")

    monkeypatch.setattr(durable_backend, "_kern", lambda: Kaputt())
    with pytest.raises(EngineFehler, match=r"Regelsatz für HE .*Fehler 303: zu viele gleichzeitig passende"):
        durable.inferiere(k, TAG)
    monkeypatch.undo()
    assert durable.live_sitzungen == 0
    assert durable.inferiere(k, TAG).verdraengt


def test_regelsaetze_entstehen_erst_bei_bedarf(regelbasis):
    a = DurableAuswerter(regelbasis)
    k = Kommune(name="X", land="SL", typ="gemeinde", einwohner=5000, auslaendische_einwohner=600)
    a.inferiere(k, TAG)
    assert {land for land, _ in a._registriert} == {"SL"}
    a.inferiere(k, dt.date(2010, 1, 1))
    assert len(a._registriert) == 2  # zweiter Zeitabschnitt, eigener Regelsatz


def test_fork_waehrend_ein_thread_auswertet_blockiert_das_kind_nicht():
    """Das Lock wird im Kind neu angelegt: ein im Elternprozess gehaltenes Lock blockiert das Kind nicht."""
    ergebnis = im_unterprozess(
        """
        import datetime as dt, os, threading, time
        from engine.regeln.basis import lade_regelbasis
        from engine.auswertung import durable
        from engine.kommunen.profil import Kommune
        rb = lade_regelbasis(); a = durable.auswerter_fuer(rb)
        k = Kommune(name="X", land="HE", typ="gemeinde", einwohner=5000, auslaendische_einwohner=1001)
        a.inferiere(k, dt.date(2024, 6, 1))
        durable._LOCK.acquire()          # als hielte ein anderer Thread gerade das Lock
        pid = os.fork()
        if pid == 0:
            ok = bool(durable.auswerter_fuer(rb).inferiere(k, dt.date(2024, 6, 1)).tatbestaende)
            os._exit(0 if ok else 1)
        durable._LOCK.release()
        _, status = os.waitpid(pid, 0)
        print("OK", os.waitstatus_to_exitcode(status))
        """, timeout=60)
    assert ergebnis.returncode == 0, ergebnis.stderr[-2000:]
    assert ergebnis.stdout.split() == ["OK", "0"]


def test_ohne_c_kern_wertet_der_referenz_auswerter_aus_und_sagt_es():
    ergebnis = im_unterprozess(
        """
        import sys, json
        sys.modules["durable_rules_engine"] = None   # als wäre der C-Kern nicht gebaut
        from click.testing import CliRunner
        from cli.main import main
        lauf = CliRunner().invoke(main, ["check", "--ags", "06413000", "--stichtag", "2025-06-01", "--format", "json"])
        daten = json.loads(lauf.output)
        text = CliRunner().invoke(main, ["check", "--ags", "06413000", "--stichtag", "2025-06-01"]).output
        fuss = " ".join(text.split("Auswerter:")[1].split())
        print(lauf.exit_code, "Referenz-Auswerter" in daten["meta"]["inferenz"],
              "C-Kern nicht installiert" in daten["meta"]["inferenz"], "C-Kern nicht installiert" in fuss)
        print("FUSS", fuss)
        """, timeout=120)
    assert ergebnis.returncode == 0, ergebnis.stderr[-2000:]
    assert ergebnis.stdout.splitlines()[0].split() == ["0", "True", "True", "True"]
    fuss = ergebnis.stdout.splitlines()[1]
    # Pythons englische Meldung („No module named …“, „import … halted“) gehört nicht in einen deutschen Bericht
    assert "No module" not in fuss and "halted" not in fuss and "durable_rules_engine" not in fuss, fuss


def test_schliessen_loescht_jeden_regelsatz_und_der_auswerter_bleibt_benutzbar(regelbasis, monkeypatch):
    geloescht = []
    kern = durable_backend._kern()
    original = kern.delete_ruleset
    monkeypatch.setattr(kern, "delete_ruleset", lambda handle: (geloescht.append(handle), original(handle)))
    auswerter = DurableAuswerter(regelbasis)
    k = Kommune(name="X", land="HE", typ="gemeinde", einwohner=20_000, auslaendische_einwohner=1_500)
    vorher = auswerter.inferiere(k, dt.date(2025, 6, 1))
    auswerter.inferiere(k.ersetzt(land="NW"), dt.date(2025, 6, 1))
    handles = sorted(r.handle for r in auswerter._registriert.values())
    auswerter.schliessen()
    assert sorted(geloescht) == handles and len(handles) == 2
    assert auswerter._registriert == {}
    assert auswerter.inferiere(k, dt.date(2025, 6, 1)).tatbestaende == vorher.tatbestaende


def test_neu_geladene_regelbasen_verdraengen_alte_auswerter(regelbasis, monkeypatch):
    """Ein Server, der geänderte Regeln neu lädt, hält höchstens MAX_REGELBASEN_IM_SPEICHER Auswerter; ältere werden
    geschlossen (früher ~10 MB je Neuladen, für immer)."""
    monkeypatch.setattr(durable_backend, "_AUSWERTER_CACHE", {})
    geschlossen = []
    monkeypatch.setattr(DurableAuswerter, "schliessen", lambda self: geschlossen.append(self))

    class Variante:
        def __init__(self, i):
            self.fingerabdruck = f"variante-{i}"

    auswerter = [durable_backend.auswerter_fuer(Variante(i)) for i in range(7)]
    assert len(durable_backend._AUSWERTER_CACHE) == durable_backend.MAX_REGELBASEN_IM_SPEICHER
    assert geschlossen == auswerter[:7 - durable_backend.MAX_REGELBASEN_IM_SPEICHER]


def test_neuladen_waechst_nicht_im_speicher():
    """40 Auswerter nacheinander mit je vier Regelsätzen: mit ``schliessen`` bleibt der Speicher flach."""
    lauf = im_unterprozess("""
        import datetime as dt
        from engine.regeln.basis import lade_regelbasis
        from engine.auswertung.durable import DurableAuswerter
        from engine.kommunen.profil import Kommune
        rb = lade_regelbasis()
        k = Kommune(name="X", land="HE", typ="gemeinde", einwohner=50000, auslaendische_einwohner=5000)
        def rss():
            return int(open("/proc/self/statm").read().split()[1]) * 4096 / 2**20
        for i in range(45):
            if i == 5:
                start = rss()
            a = DurableAuswerter(rb)
            for land in ("HE", "NW", "BY", "SL"):
                a.inferiere(k.ersetzt(land=land), dt.date(2025, 6, 1))
            a.schliessen()
        print(round(rss() - start, 1))
    """)
    assert lauf.returncode == 0, lauf.stderr
    assert float(lauf.stdout.strip().splitlines()[-1]) < 10  # ohne schliessen: rund 30 MB
