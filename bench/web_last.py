"""Lastprobe: 200 gleichzeitige Anfragen an Ergebnisseiten von ``kommunalpflichten web`` über die Loopback-Schnittstelle.

    python bench/web_last.py [--anfragen 200] [--gleichzeitig 200] [--zeitlimit 120]

Startet einen eigenen Server auf einem freien Port von 127.0.0.1 (nie ein fremder Rechner), wärmt ihn mit einer
Anfrage an, und schickt dann in zwei Durchgängen nebeneinander je ``--anfragen`` Anfragen mit ``--gleichzeitig``
offenen Verbindungen: (a) Ergebnisseiten verschiedener Kommunen (jede Anfrage eine andere Gemeinde), (b) dieselbe
Ergebnisseite. Gedruckt werden Anfragen je Sekunde, Perzentile der Antwortzeit (p50, p90, p99, max) und das
Verhältnis der Durchsätze. Jeder Durchgang endet spätestens nach ``--zeitlimit`` Sekunden; eine Antwort ≠ 200 zählt
als Fehler und wird gemeldet. Zeiten gehören hierher, nie in Tests (geteilte, laute Maschinen).
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

WURZEL = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(WURZEL))


def _freier_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _warte(adresse: str, prozess: subprocess.Popen, frist: float = 60) -> None:
    ende = time.monotonic() + frist
    while time.monotonic() < ende:
        if prozess.poll() is not None:
            raise SystemExit("Server beendet sich beim Start: " + prozess.stderr.read().decode(errors="replace"))
        try:
            urllib.request.urlopen(adresse + "/", timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("Server antwortet nicht.")


def _abruf(url: str) -> tuple[float, int]:
    beginn = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=60) as antwort:
            antwort.read()
            status = antwort.status
    except OSError as exc:
        status = getattr(exc, "code", 0) or 0
    return time.perf_counter() - beginn, status


def durchgang(urls: list[str], gleichzeitig: int, zeitlimit: float) -> dict:
    """Alle ``urls`` mit ``gleichzeitig`` Threads; bricht nach ``zeitlimit`` ab (noch offene zählen als Fehler)."""
    start = threading.Barrier(min(gleichzeitig, len(urls)) + 1)

    def mit_start(url: str, warten: bool):
        if warten:
            start.wait(timeout=30)
        return _abruf(url)

    with ThreadPoolExecutor(max_workers=gleichzeitig) as pool:
        zukunft = [pool.submit(mit_start, url, i < gleichzeitig) for i, url in enumerate(urls)]
        start.wait(timeout=30)  # alle ersten Anfragen gehen zugleich los
        beginn = time.perf_counter()
        fertig, offen = wait(zukunft, timeout=zeitlimit)
        dauer = time.perf_counter() - beginn
        for z in offen:
            z.cancel()
    ergebnisse = [z.result() for z in fertig]
    zeiten = sorted(t for t, status in ergebnisse if status == 200)
    fehler = len(urls) - len(zeiten)

    def perzentil(p: float) -> float:
        return zeiten[min(len(zeiten) - 1, round(p / 100 * (len(zeiten) - 1)))] if zeiten else float("nan")

    return {"anfragen": len(urls), "fehler": fehler, "dauer": dauer, "je_sekunde": len(zeiten) / dauer,
            "p50": perzentil(50), "p90": perzentil(90), "p99": perzentil(99), "max": zeiten[-1] if zeiten else float("nan"),
            "mittel": statistics.fmean(zeiten) if zeiten else float("nan")}


def _zeile(name: str, e: dict) -> str:
    ms = lambda s: f"{s * 1000:,.0f} ms".replace(",", ".")  # noqa: E731
    return (f"{name:<34} {e['je_sekunde']:6.1f} Anfragen/s   p50 {ms(e['p50']):>9}  p90 {ms(e['p90']):>9}  "
            f"p99 {ms(e['p99']):>9}  max {ms(e['max']):>9}  Fehler {e['fehler']}").replace(".", ",", 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--anfragen", type=int, default=200)
    parser.add_argument("--gleichzeitig", type=int, default=200)
    parser.add_argument("--zeitlimit", type=float, default=120)
    parser.add_argument("--stichtag", default="2025-06-01")
    args = parser.parse_args()
    if not 1 <= args.anfragen <= 2000 or not 1 <= args.gleichzeitig <= 500:
        raise SystemExit("--anfragen 1 bis 2000, --gleichzeitig 1 bis 500 (die Probe bleibt begrenzt).")

    from engine.kommunen.daten import alle

    gemeinden = [d.ags for d in alle() if d.art == "gemeinde"]
    schritt = max(1, len(gemeinden) // args.anfragen)
    verschiedene = gemeinden[::schritt][: args.anfragen]

    port = _freier_port()
    adresse = f"http://127.0.0.1:{port}"
    prozess = subprocess.Popen([sys.executable, "-m", "cli.main", "web", "--port", str(port)], cwd=WURZEL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _warte(adresse, prozess)
        _abruf(f"{adresse}/kommune/06413000?stichtag={args.stichtag}")  # Regelsätze anlegen
        urls_a = [f"{adresse}/kommune/{ags}?stichtag={args.stichtag}" for ags in verschiedene]
        urls_b = [f"{adresse}/kommune/06413000?stichtag={args.stichtag}"] * args.anfragen
        a = durchgang(urls_a, args.gleichzeitig, args.zeitlimit)
        b = durchgang(urls_b, args.gleichzeitig, args.zeitlimit)
    finally:
        prozess.terminate()
        prozess.wait(timeout=10)
    print(f"kommunalpflichten web, 1 Prozess, {args.gleichzeitig} gleichzeitige Verbindungen, "
          f"{args.anfragen} Ergebnisseiten je Durchgang, Rechtsstand {args.stichtag}, Python {sys.version.split()[0]}")
    print(_zeile(f"(a) {len(urls_a)} verschiedene Kommunen", a))
    print(_zeile("(b) dieselbe Kommune", b))
    print(f"Verhältnis (b)/(a) im Durchsatz: {b['je_sekunde'] / a['je_sekunde']:.2f}".replace(".", ","))
    if a["fehler"] or b["fehler"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
