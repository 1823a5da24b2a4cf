"""Ein Server, den kein Client stauen kann (Issue 21, Funde 1–3 und 11): Landesübersichten ohne Stau, eingesandte
Profile abseits der Ereignisschleife, Fristen und Verbindungsgrenze, Sicherheitskopfzeilen, HEAD, Allow, keine
Weiterleitung aus der Host-Kopfzeile, ruhige Abbrüche, doppelte Parameter als Fehler.

Im Prozess (``TestClient``) alles, was keine Sockets braucht; gegen einen echten Server auf 127.0.0.1 die Fristen,
die Verbindungsgrenze und die Lebendigkeit unter Last. Die Schranken der Lebendigkeit sind weit (geteilte 2-Kern-
Maschine); die gemessenen Zeiten stehen in ``bench/web_feindlich.py``."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import socket
import time
from concurrent.futures import Future, ThreadPoolExecutor

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from web import grenzen  # noqa: E402
from web.app import erstelle_app  # noqa: E402
from web.hygiene import CSP  # noqa: E402
from web.server import KOPF_FRIST, MINDESTALTER  # noqa: E402
from web.uebersichten import Ausgelastet, Landesuebersichten  # noqa: E402

from .conftest import WURZEL  # noqa: E402
from .webserver import abruf, echter_server, roh  # noqa: E402

LEBENDIG = 10.0  # Sekunden: weite Schranke für „antwortet“ (Ziel und Messung: 3 s, bench/web_feindlich.py)
MAX_LISTE = (b'{"name": "Liste", "land": "HE", "typ": "gemeinde", "einwohner": 5, "auslaendische_einwohner": 1, "l": ['
             + b"1," * 120_000 + b"1]}")


@pytest.fixture(scope="module")
def client():
    return TestClient(erstelle_app(), raise_server_exceptions=False)


# ------------------------------------------------------------------------------------------ Fund 11: Kopfzeilen

@pytest.mark.parametrize("methode, weg, inhalt", [
    ("GET", "/", None), ("GET", "/api/v1/merkmale", None), ("GET", "/static/stil.css", None),
    ("GET", "/nirgends", None), ("GET", "/api/v1/pruefung?ags=x", None), ("DELETE", "/api/v1/pruefung", None),
    ("POST", "/api/v1/pruefung", b"x" * (grenzen.MAX_KOERPER + 1)), ("GET", "/kommune/06413000/druck", None),
])
def test_sicherheitskopfzeilen_auf_jeder_antwort(client, methode, weg, inhalt):
    antwort = client.request(methode, weg, content=inhalt)
    assert antwort.headers["content-security-policy"] == CSP
    assert "frame-ancestors 'none'" in CSP and "script-src 'self'" in CSP
    assert antwort.headers["x-content-type-options"] == "nosniff"
    assert antwort.headers["x-frame-options"] == "DENY"
    assert antwort.headers["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize("weg", ["/", "/kommune/06413000?stichtag=2025-06-01", "/api/v1/merkmale", "/static/stil.css",
                                 "/regeln/he.hgo.84.auslaenderbeirat", "/nirgends"])
def test_head_wie_get_ohne_inhalt(client, weg):
    get, head = client.get(weg), client.head(weg)
    assert head.status_code == get.status_code and head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers.get("content-length") == get.headers.get("content-length")


@pytest.mark.parametrize("methode, weg, erlaubt", [("DELETE", "/api/v1/pruefung", "GET, HEAD, POST"),
                                                    ("PUT", "/", "GET, HEAD"), ("OPTIONS", "/laender/HE", "GET, HEAD"),
                                                    ("POST", "/api/v1/merkmale", "GET, HEAD")])
def test_405_nennt_die_erlaubten_methoden(client, methode, weg, erlaubt):
    antwort = client.request(methode, weg)
    assert antwort.status_code == 405 and antwort.headers["allow"] == erlaubt


@pytest.mark.parametrize("weg", ["/regeln/", "/api/v1/merkmale/", "/laender/"])
def test_schraegstrich_am_ende_ohne_weiterleitung_aus_der_host_kopfzeile(client, weg):
    antwort = client.get(weg, headers={"host": "evil.example"}, follow_redirects=False)
    assert antwort.status_code == 200 and "location" not in antwort.headers
    assert "evil.example" not in json.dumps(dict(antwort.headers))


@pytest.mark.parametrize("weg", ["//evil.example/", "/\\evil.example/", "/%2F%2Fevil.example/"])
def test_kein_offener_umweg(client, weg):
    gesendet = _asgi(client.app, {"method": "GET", "path": weg, "raw_path": weg.encode(),
                                  "headers": [(b"host", b"evil.example")]}, _ohne_inhalt)
    start = next(n for n in gesendet if n["type"] == "http.response.start")
    assert start["status"] == 404 and b"location" not in dict(start["headers"])


async def _ohne_inhalt():
    return {"type": "http.request", "body": b"", "more_body": False}


# ------------------------------------------------------------------------------------------ Fund 11: doppelte Parameter

@pytest.mark.parametrize("weg, name", [
    ("/api/v1/pruefung?ags=06413000&ags=06412000", "ags"),
    ("/api/v1/pruefung?ags=06413000&stichtag=2025-06-01&stichtag=2024-06-01", "stichtag"),
    ("/api/v1/kommunen?suche=Offen&suche=Koeln", "suche"),
    ("/api/v1/pruefung?ags=06413000&einwohner=5&einwohner=6", "einwohner"),
    ("/api/v1/pruefung?ags=06413000&merkmal=integrationsausschuss_gebildet=ja&merkmal=integrationsausschuss_gebildet=nein",
     "merkmal"),
    ("/api/v1/pruefung?ags=05315000&integrationsausschuss_gebildet=ja&merkmal=integrationsausschuss_gebildet=nein",
     "merkmal"),
])
def test_doppelte_parameter_sind_ein_fehler(client, weg, name):
    antwort = client.get(weg)
    assert antwort.status_code == 400, antwort.text[:300]
    fehler = antwort.json()["fehler"]
    assert any(f.get("feld") == name and "mehrfach" in f["meldung"] for f in fehler), fehler


def test_doppelte_parameter_auf_seiten(client):
    for weg in ("/kommune/06413000?stichtag=2025-06-01&stichtag=2024-06-01", "/suche?q=Offenbach&q=Koeln",
                "/laender/SL?stichtag=2025-06-01&stichtag=2024-06-01"):
        antwort = client.get(weg)
        assert antwort.status_code == 400 and 'role="alert"' in antwort.text and "mehrfach" in antwort.text


def test_verschiedene_merkmale_mehrfach_bleiben_erlaubt(client):
    antwort = client.get("/api/v1/pruefung", params=[("ags", "05315000"), ("stichtag", "2025-06-01"),
                                                     ("merkmal", "integrationsausschuss_gebildet=ja"),
                                                     ("merkmal", "integrationsrat_gebildet=nein")])
    assert antwort.status_code == 200, antwort.text[:300]


# ------------------------------------------------------------------------------------------ Fund 2: Profile per POST

def test_fehlerliste_eines_profils_ist_begrenzt(client):
    viele = {"name": "Viele", "land": "HE", "typ": "gemeinde", "einwohner": 2, "auslaendische_einwohner": 1}
    viele.update({f"k{i}": 1 for i in range(2_000)})  # unter der Knotengrenze: Meldungen je Schlüssel
    antwort = client.post("/api/v1/pruefung", content=json.dumps(viele))
    assert antwort.status_code == 400 and len(antwort.json()["fehler"]) == 51 and len(antwort.content) < 12_000
    assert "1.950 weitere Meldungen" in antwort.json()["fehler"][-1]["meldung"]
    viele = {str(i): 1 for i in range(25_000)}  # 25.000 Schlüssel in 247 KB, wie im Issue
    antwort = client.post("/api/v1/pruefung", content=json.dumps(viele, separators=(",", ":")))
    assert antwort.status_code == 400 and len(antwort.content) < 2_000, antwort.text[:300]
    assert "Zu viele Werte" in antwort.json()["fehler"][0]["meldung"]


def test_grosse_liste_wird_vor_dem_zusammensetzen_abgelehnt(client):
    assert len(MAX_LISTE) <= grenzen.MAX_KOERPER
    antwort = client.post("/api/v1/pruefung", content=MAX_LISTE)
    assert antwort.status_code == 400 and "Zu viele Werte" in antwort.text


def _asgi(app, scope: dict, empfange) -> list[dict]:
    gesendet: list[dict] = []

    async def senden(nachricht):
        gesendet.append(nachricht)

    asyncio.run(app(dict({"type": "http", "http_version": "1.1", "scheme": "http", "server": ("t", 80),
                          "client": ("c", 1), "root_path": "", "query_string": b"", "headers": []}, **scope),
                    empfange, senden))
    return gesendet


def test_troepfelnder_inhalt_bekommt_408(client, monkeypatch):
    monkeypatch.setattr(grenzen, "LESE_FRIST", 0.3)

    async def empfange():
        await asyncio.sleep(3600)

    gesendet = _asgi(client.app, {"method": "POST", "path": "/api/v1/pruefung", "raw_path": b"/api/v1/pruefung"},
                     empfange)
    start = next(n for n in gesendet if n["type"] == "http.response.start")
    koerper = b"".join(n.get("body", b"") for n in gesendet if n["type"] == "http.response.body")
    assert start["status"] == 408 and "Der Inhalt kam nicht innerhalb" in koerper.decode()


def test_abbruch_mitten_im_inhalt_ohne_protokoll(client, caplog):
    nachrichten = iter([{"type": "http.request", "body": b'{"name": ', "more_body": True}, {"type": "http.disconnect"}])

    async def empfange():
        return next(nachrichten)

    with caplog.at_level("DEBUG"):
        _asgi(client.app, {"method": "POST", "path": "/api/v1/pruefung", "raw_path": b"/api/v1/pruefung"}, empfange)
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL") or r.exc_info]


# ------------------------------------------------------------------------------------------ Fund 1: Landesübersichten

def test_landesuebersichten_je_schluessel_begrenzt(monkeypatch):
    """Dieselbe Übersicht rechnet einmal, egal wie viele warten; mehr als GLEICHZEITIG verschiedene → Ausgelastet;
    eine fertige kommt ohne Warten; ein Client, der abbricht, bricht die Rechnung nicht ab."""
    uebersichten = Landesuebersichten(gleichzeitig=2)
    offen: dict = {}
    monkeypatch.setattr(uebersichten, "_gib_auf", lambda land, tag: offen.setdefault((land, tag), Future()))
    tag = [dt.date(2025, 6, 1) + dt.timedelta(days=i) for i in range(4)]
    ergebnis = [{"kommunen": i, "regeln": {}} for i in range(4)]

    async def ablauf():
        wartende = [asyncio.ensure_future(uebersichten.hole("BY", tag[0])) for _ in range(20)]
        abbrecher = asyncio.ensure_future(uebersichten.hole("BY", tag[1]))
        await asyncio.sleep(0.05)
        assert len(offen) == 2  # 21 Anfragen, zwei Rechnungen
        with pytest.raises(Ausgelastet) as info:
            await uebersichten.hole("BY", tag[2])
        assert info.value.sekunden > 0
        offen[("BY", tag[0])].set_result(ergebnis[0])
        assert [await w for w in wartende] == [ergebnis[0]] * 20
        assert await asyncio.wait_for(uebersichten.hole("BY", tag[0]), 0.5) == ergebnis[0]  # fertig: ohne Warten
        abbrecher.cancel()
        await asyncio.sleep(0.01)
        dritte = asyncio.ensure_future(uebersichten.hole("BY", tag[2]))  # der freie Platz
        await asyncio.sleep(0.01)
        with pytest.raises(Ausgelastet):  # tag[1] rechnet trotz Abbruch weiter und belegt seinen Platz
            await uebersichten.hole("BY", tag[3])
        offen[("BY", tag[1])].set_result(ergebnis[1])
        offen[("BY", tag[2])].set_result(ergebnis[2])
        assert await dritte == ergebnis[2]
        assert await asyncio.wait_for(uebersichten.hole("BY", tag[1]), 0.5) == ergebnis[1]

    asyncio.run(asyncio.wait_for(ablauf(), 10))


def test_abgestuerzter_rechenprozess_ist_503_und_wird_ersetzt(monkeypatch):
    from concurrent.futures.process import BrokenProcessPool

    uebersichten = Landesuebersichten()
    uebersichten._pool = object()  # steht für den abgestürzten Pool

    def gib_auf(land, tag):
        zukunft = Future()
        zukunft.set_exception(BrokenProcessPool("Prozess beendet"))
        return zukunft

    monkeypatch.setattr(uebersichten, "_gib_auf", gib_auf)
    with pytest.raises(Ausgelastet):
        asyncio.run(uebersichten.hole("SL", dt.date(2025, 6, 1)))
    assert uebersichten._pool is None and not uebersichten._laufend  # der nächste Versuch startet einen neuen


def test_ausgelastet_ist_503_mit_retry_after(client, monkeypatch):
    async def voll(land, stichtag):
        raise Ausgelastet(7)

    monkeypatch.setattr(client.app.state.dienst.uebersichten, "hole", voll)
    antwort = client.get("/laender/BY")
    assert antwort.status_code == 503 and antwort.headers["retry-after"] == "7" and "erneut versuchen" in antwort.text


# ------------------------------------------------------------------------------------------ echter Server

@pytest.fixture(scope="module")
def server():
    with echter_server("--verbindungen", "40") as s:
        yield s
        text = s.text_des_protokolls()
        assert "Traceback" not in text and len(text) < 4_000, text[-3000:]


def test_andere_clients_antworten_unter_landesuebersichten_und_grossen_profilen(server):
    """Fund 1 und 2: zwölf Landesübersichten Bayerns zu verschiedenen Tagen und acht Profile der Höchstgröße; ein
    unbeteiligter Client (API, fertige Übersicht, statische Datei) bekommt währenddessen jede Antwort."""
    assert abruf(server.adresse + "/laender/SL?stichtag=2025-06-01", frist=120)[1] == 200  # fertig im Vorrat
    proben: list[tuple[str, float, int]] = []
    with ThreadPoolExecutor(24) as pool:
        uebersichten = [pool.submit(abruf, f"{server.adresse}/laender/BY?stichtag={dt.date(2025, 1, 1 + i)}", None, 180)
                        for i in range(12)]
        profile = [pool.submit(abruf, f"{server.adresse}/api/v1/pruefung", MAX_LISTE, 120, "POST") for _ in range(8)]
        ende = time.monotonic() + 8
        while time.monotonic() < ende or not all(z.done() for z in profile):
            for weg in ("/api/v1/merkmale", "/laender/SL?stichtag=2025-06-01", "/static/stil.css"):
                dauer, status, _, _ = abruf(server.adresse + weg, frist=60)
                proben.append((weg, dauer, status))
            if time.monotonic() > ende + 120:
                break
        ergebnisse = [z.result(timeout=300) for z in uebersichten]
        posts = [z.result(timeout=300) for z in profile]
    assert all(status == 200 for _, _, status in proben), proben
    assert max(dauer for _, dauer, _ in proben) < LEBENDIG, sorted(proben, key=lambda p: -p[1])[:5]
    status = [e[1] for e in ergebnisse]
    assert set(status) <= {200, 503} and status.count(200) >= 1 and status.count(503) >= 1, status
    assert all(e[2].get("retry-after") or e[2].get("Retry-After") for e in ergebnisse if e[1] == 503)
    assert all(p[1] == 400 and b"Zu viele Werte" in p[3] for p in posts), [p[1] for p in posts]


def test_halb_offene_verbindungen_sperren_niemanden_aus(server):
    """Fund 3: dreimal so viele halb offene Verbindungen wie erlaubt; ein neuer Client kommt trotzdem an, und nach
    der Kopfzeilen-Frist hat der Server alle getrennt."""
    offen = []
    try:
        for _ in range(120):
            s = socket.create_connection(("127.0.0.1", server.port), timeout=10)
            s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
            offen.append(s)
        # Verdrängt wird, wer halbe Kopfzeilen geschickt hat – sobald der Server sie gelesen hat; ist er damit im
        # Rückstand, lautet die Antwort 503 mit Retry-After, und der nächste Versuch kommt an (wie ein echter Client)
        beginn, status = time.monotonic(), 0
        while status != 200 and time.monotonic() - beginn < LEBENDIG:
            _, status, kopf, _ = abruf(server.adresse + "/api/v1/merkmale", frist=LEBENDIG)
            if status == 503:
                assert kopf.get("retry-after") or kopf.get("Retry-After")
                time.sleep(MINDESTALTER)
        assert status == 200 and time.monotonic() - beginn < LEBENDIG
        ende = time.monotonic() + KOPF_FRIST + 15
        getrennt = 0
        for s in offen:  # getrennt, ob ohne Antwort (Frist, verdrängt) oder nach einem 503 (über der Grenze)
            try:
                while True:
                    s.settimeout(max(0.1, ende - time.monotonic()))
                    if s.recv(4096) == b"":
                        getrennt += 1
                        break
            except ConnectionResetError:
                getrennt += 1
            except socket.timeout:
                pass
        assert getrennt == len(offen)
    finally:
        for s in offen:
            s.close()


def test_stumme_verbindungen_weichen_nach_dem_mindestalter(server):
    """Verbindungen ohne ein Byte weichen erst, wenn sie MINDESTALTER warten (ihre Anfrage könnte unterwegs sein);
    bis dahin bekommt ein neuer Client 503, danach kommt er an."""
    offen = [socket.create_connection(("127.0.0.1", server.port), timeout=10) for _ in range(60)]
    try:
        time.sleep(MINDESTALTER + 0.5)
        dauer, status, _, _ = abruf(server.adresse + "/api/v1/merkmale", frist=LEBENDIG)
        assert status == 200 and dauer < LEBENDIG
    finally:
        for s in offen:
            s.close()


def test_ansturm_ueber_der_grenze_bekommt_503_statt_abbruch(server):
    """Mehr gleichzeitige Clients als Verbindungen erlaubt: wer nicht mehr hineinpasst, bekommt eine Antwort – 503
    mit Retry-After –, keinen Verbindungsabbruch."""
    anfrage = b"GET /api/v1/merkmale HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    with ThreadPoolExecutor(100) as pool:
        antworten = list(pool.map(lambda _: roh(server.port, anfrage, frist=60), range(100)))
    status = [a[9:12] for a in antworten]
    assert set(status) <= {b"200", b"503"} and status.count(b"200") >= 40, status
    assert all(b"retry-after: 5" in a.lower() for a in antworten if a[9:12] == b"503")


def test_keine_host_weiterleitung_und_head_am_echten_server(server):
    antwort = roh(server.port, b"GET /regeln/ HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")
    kopf = antwort.partition(b"\r\n\r\n")[0].lower()
    assert kopf.startswith(b"http/1.1 200") and b"location" not in kopf and b"evil.example" not in kopf
    antwort = roh(server.port, b"HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert antwort.startswith(b"HTTP/1.1 200") and b"content-security-policy" in antwort.lower()
    assert antwort.partition(b"\r\n\r\n")[2] == b""


def test_abbruch_mitten_im_inhalt_am_echten_server(server):
    for _ in range(3):
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as s:
            s.sendall(b"POST /api/v1/pruefung HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{\"name\": ")
        time.sleep(0.2)
    assert abruf(server.adresse + "/api/v1/merkmale")[1] == 200  # das Protokoll prüft die Fixture am Ende


_SERVER_OHNE_AUFRAEUMEN = """
import asyncio, datetime as dt, os
from web.uebersichten import Landesuebersichten
u = Landesuebersichten()
asyncio.run(u.hole("HB", dt.date(2025, 6, 1)))  # startet den Rechenprozess
print(*[p.pid for p in u._pool._processes.values()], flush=True)
os._exit(0)  # wie ein Server, der ohne Aufräumen endet
"""


def _lebt(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as datei:
            return datei.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_rechenprozess_ueberlebt_den_server_nicht():
    """Endet der Server ohne Aufräumen (``os._exit``, SIGKILL), beendet sich sein Rechenprozess selbst – vorher blieb er
    verwaist zurück (die Testsuite hinterließ zwei je Lauf)."""
    import subprocess
    import sys
    import time

    lauf = subprocess.run([sys.executable, "-c", _SERVER_OHNE_AUFRAEUMEN], cwd=WURZEL, capture_output=True, text=True,
                          timeout=120)
    assert lauf.returncode == 0, lauf.stderr
    pids = [int(p) for p in lauf.stdout.split()]
    assert pids
    frist = time.monotonic() + 15
    while time.monotonic() < frist and any(_lebt(p) for p in pids):
        time.sleep(0.1)
    assert not any(_lebt(p) for p in pids)


def test_schliessen_beendet_den_rechenprozess():
    import time

    u = Landesuebersichten()
    asyncio.run(u.hole("HB", dt.date(2025, 6, 1)))
    prozesse = list(u._pool._processes.values())
    assert prozesse and all(p.is_alive() for p in prozesse)
    u.schliessen()
    frist = time.monotonic() + 10
    while time.monotonic() < frist and any(p.is_alive() for p in prozesse):
        time.sleep(0.05)
    assert not any(p.is_alive() for p in prozesse) and u._pool is None
