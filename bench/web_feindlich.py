"""Lastprobe unter Angriff: antwortet ``kommunalpflichten web`` einem anderen Client, während andere den Server zu
stauen versuchen? (Issue 21)

    python bench/web_feindlich.py [--uebersichten 45] [--posts 16] [--halboffen 1100] [--zeitlimit 300]

Startet einen eigenen Server auf einem freien Port von 127.0.0.1 (nie ein fremder Rechner) und misst in drei Phasen
die Antwortzeiten eines unbeteiligten Clients, der reihum eine statische Datei, die API (``/api/v1/merkmale``), eine
schon berechnete Landesübersicht (``/laender/SL``) und eine Ergebnisseite abruft:

1. Ruhe (Vergleichswert);
2. ``--uebersichten`` gleichzeitige Landesübersichten Bayerns zu verschiedenen Stichtagen (je ~2.000 Kommunen) und
   ``--posts`` gleichzeitige Profile der Höchstgröße 256 KiB (halb eine Liste mit 128.000 Werten, halb ein gültiges
   Profil mit einem Namen von 250.000 Zeichen);
3. ``--halboffen`` Verbindungen, die ihre Kopfzeilen nie zu Ende schicken.

Gedruckt werden je Phase und Art: Zahl, Median und Maximum der Antwortzeit, dazu die Antworten der Angreifer (200,
503 mit Retry-After, 4xx) und ob der Server Tracebacks schrieb. Ziel (Issue 21): jede Antwort an den unbeteiligten
Client binnen 3 s. Exit-Code 1, wenn eine länger dauerte oder fehlschlug. Zeiten gehören hierher, nie in Tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

WURZEL = Path(__file__).resolve().parent.parent
ZIEL = 3.0  # Sekunden für jede Antwort an den unbeteiligten Client
PROBEN = [("statisch", "/static/stil.css"), ("API", "/api/v1/merkmale"), ("Übersicht (fertig)", "/laender/SL"),
          ("Ergebnisseite", "/kommune/06438001")]


def _freier_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _abruf(url: str, daten: bytes | None = None, frist: float = 120) -> tuple[float, int, dict]:
    beginn = time.perf_counter()
    anfrage = urllib.request.Request(url, data=daten, method="POST" if daten is not None else "GET",
                                     headers={"content-type": "application/json"} if daten is not None else {})
    try:
        with urllib.request.urlopen(anfrage, timeout=frist) as antwort:
            antwort.read()
            return time.perf_counter() - beginn, antwort.status, dict(antwort.headers)
    except urllib.error.HTTPError as exc:
        exc.read()
        return time.perf_counter() - beginn, exc.code, dict(exc.headers)
    except OSError:
        return time.perf_counter() - beginn, 0, {}


class Probe(threading.Thread):
    """Der unbeteiligte Client: reihum die PROBEN, eine nach der anderen, bis ``halt`` gesetzt ist."""

    def __init__(self, adresse: str):
        super().__init__(daemon=True)
        self.adresse, self.halt, self.zeiten = adresse, threading.Event(), []

    def run(self):
        i = 0
        while not self.halt.is_set():
            art, weg = PROBEN[i % len(PROBEN)]
            dauer, status, _ = _abruf(self.adresse + weg, frist=60)
            self.zeiten.append((art, dauer, status))
            i += 1
            time.sleep(0.05)


def _bericht(name: str, zeiten: list) -> tuple[list[str], bool]:
    zeilen, gut = [f"  {name}:"], True
    for art, _ in PROBEN:
        werte = [(d, s) for a, d, s in zeiten if a == art]
        if not werte:
            continue
        dauern = [d for d, _ in werte]
        fehler = sum(1 for _, s in werte if s != 200)
        gut &= max(dauern) <= ZIEL and not fehler
        zeilen.append(f"    {art:<20} {len(werte):4d} Abrufe  Median {statistics.median(dauern) * 1000:7.0f} ms  "
                      f"Max {max(dauern) * 1000:7.0f} ms  nicht 200: {fehler}")
    return zeilen, gut


def _post_koerper() -> list[bytes]:
    grenze = 256 * 1024
    liste = b'{"name": "Liste", "land": "HE", "typ": "gemeinde", "einwohner": 5, "auslaendische_einwohner": 1, "l": ['
    liste += b"1," * ((grenze - len(liste) - 2) // 2)
    liste = liste.rstrip(b",") + b"]}"
    kopf = b'{"land": "HE", "typ": "gemeinde", "einwohner": 20000, "auslaendische_einwohner": 1500, "name": "'
    name = kopf + b"A" * (grenze - len(kopf) - 2) + b'"}'
    assert len(liste) <= grenze and len(name) <= grenze
    return [liste, name]


def _halboffen(port: int, anzahl: int) -> list[socket.socket]:
    offen = []
    for _ in range(anzahl):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
            offen.append(s)
        except OSError:
            break
    return offen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uebersichten", type=int, default=45)
    parser.add_argument("--posts", type=int, default=16)
    parser.add_argument("--halboffen", type=int, default=1100)
    parser.add_argument("--zeitlimit", type=float, default=300)
    args = parser.parse_args()
    if not (0 <= args.uebersichten <= 200 and 0 <= args.posts <= 64 and 0 <= args.halboffen <= 3000):
        raise SystemExit("--uebersichten ≤ 200, --posts ≤ 64, --halboffen ≤ 3000 (die Probe bleibt begrenzt).")

    import resource

    weich, hart = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hart, max(weich, args.halboffen + 512)), hart))
    port = _freier_port()
    adresse = f"http://127.0.0.1:{port}"
    protokoll = tempfile.TemporaryFile()
    # der Server mit der Grenze offener Dateien aus dem Issue (ulimit -n 1024)
    prozess = subprocess.Popen(
        ["sh", "-c", f'ulimit -n 1024 && exec "{sys.executable}" -m cli.main web --port {port}'], cwd=WURZEL,
        stdout=subprocess.DEVNULL, stderr=protokoll)
    gut = True
    zeilen = []
    try:
        ende = time.monotonic() + 90
        while _abruf(adresse + "/api/v1/merkmale", frist=2)[1] != 200:
            if prozess.poll() is not None or time.monotonic() > ende:
                raise SystemExit("Der Server startet nicht.")
            time.sleep(0.3)
        for _, weg in PROBEN:  # Regelsätze anlegen, Übersicht SL berechnen
            _abruf(adresse + weg)

        probe = Probe(adresse)
        probe.start()
        time.sleep(8)
        probe.halt.set()
        probe.join()
        teil, ok = _bericht("Ruhe", probe.zeiten)
        zeilen += teil
        gut &= ok

        koerper = _post_koerper()
        probe = Probe(adresse)
        probe.start()
        beginn = time.perf_counter()
        with ThreadPoolExecutor(args.uebersichten + args.posts) as pool:
            tage = [dt.date(2025, 1, 1) + dt.timedelta(days=i) for i in range(args.uebersichten)]
            uebersichten = [pool.submit(_abruf, f"{adresse}/laender/BY?stichtag={t.isoformat()}") for t in tage]
            posts = [pool.submit(_abruf, f"{adresse}/api/v1/pruefung?stichtag=2025-06-01", koerper[i % 2])
                     for i in range(args.posts)]
            ergebnisse_u = [z.result(timeout=args.zeitlimit) for z in uebersichten]
            ergebnisse_p = [z.result(timeout=args.zeitlimit) for z in posts]
        angriff = time.perf_counter() - beginn
        time.sleep(1)
        probe.halt.set()
        probe.join()
        teil, ok = _bericht(f"{args.uebersichten} Landesübersichten BY + {args.posts} Profile à 256 KiB "
                            f"(Angriff {angriff:.1f} s)", probe.zeiten)
        zeilen += teil
        gut &= ok
        status_u = Counter(s for _, s, _ in ergebnisse_u)
        mit_retry = sum(1 for _, s, k in ergebnisse_u if s == 503 and any(n.lower() == "retry-after" for n in k))
        zeilen.append(f"    Landesübersichten: {dict(status_u)} (503 mit Retry-After: {mit_retry}); längste "
                      f"{max(d for d, _, _ in ergebnisse_u):.1f} s")
        zeilen.append(f"    Profile: {dict(Counter(s for _, s, _ in ergebnisse_p))}; längste "
                      f"{max(d for d, _, _ in ergebnisse_p):.1f} s")
        gut &= set(status_u) <= {200, 503} and set(s for _, s, _ in ergebnisse_p) <= {200, 400, 503}

        if args.halboffen:
            offen = _halboffen(port, args.halboffen)
            probe = Probe(adresse)
            probe.start()
            time.sleep(6)
            probe.halt.set()
            probe.join()
            teil, ok = _bericht(f"{len(offen)} halb offene Verbindungen", probe.zeiten)
            zeilen += teil
            gut &= ok
            time.sleep(8)  # Kopfzeilen-Frist 10 s
            geschlossen = beantwortet = 0
            for s in offen:  # getrennt ohne Antwort (Frist, verdrängt) oder nach 503 (über der Grenze)
                s.settimeout(0.05)
                try:
                    while teil := s.recv(4096):
                        beantwortet += teil.startswith(b"HTTP/1.1 503")
                    geschlossen += 1
                except socket.timeout:
                    pass
                except OSError:
                    geschlossen += 1
                s.close()
            zeilen.append(f"    nach 14 s vom Server getrennt: {geschlossen} von {len(offen)} (davon {beantwortet} "
                          "zuvor mit 503: über der Grenze, als keine wartende Verbindung weichen durfte)")
    finally:
        prozess.terminate()
        prozess.wait(timeout=20)
    protokoll.seek(0)
    text = protokoll.read().decode("utf-8", "replace")
    zeilen.append(f"  Server-Protokoll: {len(text.encode())} Bytes, {text.count('Traceback')} Tracebacks")
    gut &= "Traceback" not in text
    print(f"kommunalpflichten web unter Angriff (1 Serverprozess, ulimit -n 1024, Python {sys.version.split()[0]}, "
          f"{dt.datetime.now():%d.%m.%Y %H:%M}); Ziel: jede Antwort an den unbeteiligten Client ≤ {ZIEL:.0f} s")
    print("\n".join(zeilen))
    if not gut:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
