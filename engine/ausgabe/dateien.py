"""Ergebnisdateien der Massenauswertung: Formate (CSV für deutsches Excel, CSV international, JSONL im Vertrag von
``check --format json``) und sicheres Schreiben.

Geschrieben wird atomar: erst eine temporäre Datei im Verzeichnis des Ziels, dann ``os.replace``. Bricht die
Auswertung ab (Fehler, Strg-C, SIGTERM, volle Platte), bleibt die alte Datei unverändert oder es entsteht die
vollständige neue – nie eine halbe, und die temporäre Datei wird entfernt. Ein symbolischer Link als Ziel bleibt ein
Link (geschrieben wird die Datei, auf die er zeigt); eine ersetzte Datei behält ihre Rechte, eine neue bekommt die
Rechte nach der umask des Nutzers. Ist das Ziel keine gewöhnliche Datei (``/dev/stdout``, eine benannte Pipe, ein
Gerät), wird es nie ersetzt, sondern direkt beschrieben – dort gibt es keine „alte Datei“, die zu schützen wäre.
Eine schreibgeschützte Datei (ohne Schreibrecht, z. B. 0444) wird nie ersetzt, auch nicht von root; jeder Fehler des
Pfads (Name zu lang, Verzeichnis ohne Suchrecht) ist eine deutsche Meldung. Mehrere Dateien, die zusammengehören
(``szenario``: Bericht, Tabelle, Diagramme), ersetzt ``schreibe_gemeinsam`` als Satz.
"""

from __future__ import annotations

import csv
import datetime as dt
import errno
import io
import os
import secrets
import signal
import stat
from pathlib import Path

from engine.ausgabe.jsonl_format import JsonlFormat
from engine.ausgabe.massen_tabelle import ART_DE, STATUS_DE, bezeichnungen
from engine.ausgabe.ueberblick import gegenstand_text
from engine.auswertung.betraege import berechne, haengt_von_einwohnern
from engine.auswertung.massen import bewerte
from engine.begriffe import KOMMUNALTYPEN, LAENDER
from engine.fehler import KommunalpflichtenFehler
from engine.kommunen.profil import Kommune
from engine.regeln.basis import Regelbasis

CSV_INTERNATIONAL_SPALTEN = ["ags", "name", "land", "typ", "einwohner", "auslaendische_einwohner", "auslaender_von",
                             "auslaender_bis", "regel", "art", "gegenstand", "verbindlichkeit", "status", "norm",
                             "hoechstbetrag_jahr", "stichtag"]
CSV_SPALTEN = ["AGS", "Name", "Land", "Kreis", "Kommunaltyp", "Einwohner", "Ausländische Einwohner (Schätzung)",
               "Ausländische Einwohner von", "Ausländische Einwohner bis", "Regel", "Titel", "Art", "Gegenstand",
               "Verbindlichkeit", "Status", "Offene Fragen", "Vorbehalte", "Norm", "Höchstbetrag (Euro)",
               "Betrag je", "Rechtsstand geprüft am", "Stichtag"]


class DateiFehler(KommunalpflichtenFehler):
    """Die Ergebnisdatei lässt sich nicht schreiben (Exit-Code 2): Verzeichnis fehlt, schreibgeschützt, Platte voll."""


class Abgebrochen(KommunalpflichtenFehler):
    """Strg-C oder SIGTERM während der Auswertung (Exit-Code 130)."""

    exit_code = 130


class CsvFormat:
    """Eine Zeile je Kommune und Regel. ``deutsch``: Semikolon, UTF-8 mit BOM (Excel erkennt die Kodierung), deutsche
    Spaltennamen; sonst die bisherige Form (Komma, ohne BOM, technische Spaltennamen).

    Eine Zeile setzt sich aus dem Teil der Kommune und dem Teil des Ergebnisses zusammen; beide werden mit demselben
    ``csv.writer`` gebildet (die Maskierung gilt je Feld, zusammengesetzt ist es dieselbe Zeile). Der Teil des Ergebnisses
    wiederholt sich über Tausende Kommunen und wird je Ausprägung einmal gebildet – gleich als UTF-8: der Text je
    Kommune entsteht als Bytes (``batch`` kodierte sonst 35 MB Text mit Umlauten, ein Fünftel seiner Arbeit)."""

    def __init__(self, regelbasis: Regelbasis, stichtag: dt.date, deutsch: bool = True):
        self.regelbasis, self.stichtag, self.deutsch = regelbasis, stichtag, deutsch
        self._stichtag_de, self._stichtag_iso = stichtag.strftime("%d.%m.%Y"), stichtag.isoformat()
        self._je_regel: dict[str, tuple] = {}
        self._trenner, self._ende = (";", "\r\n") if deutsch else (",", "\n")
        self._puffer = io.StringIO()
        self._schreiber = csv.writer(self._puffer, delimiter=self._trenner, lineterminator=self._ende)
        self._hinten: dict[tuple, str] = {}
        self._je_eintrag: dict[tuple, tuple] = {}  # (id des geteilten Eintrags, Stichtag) → (Eintrag, nach Einwohnern?, Teile)

    def kopf(self) -> str:
        return ("\ufeff" if self.deutsch else "") + self._felder(CSV_SPALTEN if self.deutsch else CSV_INTERNATIONAL_SPALTEN) \
            + self._ende

    def _kommunenteil(self, werte: list) -> str:
        """Die Felder der Kommune mit Trenner am Ende. Ein Feld ohne Trenner, Anführungszeichen und Zeilenumbruch
        maskiert ``csv`` nicht (QUOTE_MINIMAL, mehr als ein Feld), andere Werte schreibt es wie ``str``, ``None`` leer:
        dann genügt ``join`` (elftausendmal je ``batch``). Enthält die Zeile mehr Trenner als zwischen den Feldern
        stehen, oder ein Anführungszeichen oder einen Umbruch, schreibt sie ``csv.writer`` (gleiche Zeile, geprüft in
        ``tests/test_pakete.py`` gegen ``csv.writer`` und in ``tests/test_massen_schnellwege.py`` für ganz Deutschland)."""
        zeile = self._trenner.join([w if type(w) is str else "" if w is None else str(w) for w in werte])
        if zeile.count(self._trenner) != len(werte) - 1 or '"' in zeile or "\r" in zeile or "\n" in zeile:
            return self._felder(werte) + self._trenner
        return zeile + self._trenner

    def _felder(self, werte: list) -> str:
        """Die Felder als CSV-Text ohne Zeilenende."""
        self._puffer.seek(0)
        self._puffer.truncate()
        self._schreiber.writerow(werte)
        return self._puffer.getvalue()[:-len(self._ende)]

    def __call__(self, kommune: Kommune, stichtag, regelbasis, auswerter, zwischenspeicher) -> tuple[list, str]:
        zeile = bewerte(kommune, stichtag, regelbasis, auswerter, zwischenspeicher)
        k = kommune
        a_von, a_bis = k.spanne("auslaendische_einwohner")
        if self.deutsch:
            vorne = [k.ags or "", k.name, LAENDER[k.land].name if k.land in LAENDER else k.land, k.kreis or "",
                     KOMMUNALTYPEN[k.typ].bezeichnung, k.einwohner, k.auslaendische_einwohner, a_von, a_bis]
        else:
            vorne = [k.ags, k.name, k.land, k.typ, k.einwohner, k.auslaendische_einwohner, a_von, a_bis]
        vorne_text = self._kommunenteil(vorne).encode()
        geteilt = zeile.geteilt
        if geteilt is None:
            kurz, hinten = self._ergebnisteile(zeile, k, stichtag, regelbasis)
        else:  # gleicher Eintrag im Zwischenspeicher ⇒ gleiche Teile, außer ein Betrag hängt an den Einwohnern
            eintrag = self._je_eintrag.get((id(geteilt), stichtag))
            if eintrag is None:
                nach_einwohnern = any(regelbasis.regel(rid).foerderung is not None
                                      and haengt_von_einwohnern(regelbasis.regel(rid).foerderung, stichtag)
                                      for rid, _, _ in zeile.ergebnisse)
                eintrag = self._je_eintrag[(id(geteilt), stichtag)] = (geteilt, nach_einwohnern, {})  # hält ihn am Leben
            _, nach_einwohnern, je = eintrag
            unterschied = k.einwohner if nach_einwohnern else None
            teile = je.get(unterschied)
            if teile is None:
                teile = je[unterschied] = self._ergebnisteile(zeile, k, stichtag, regelbasis)
            kurz, hinten = teile
        return kurz, (vorne_text + vorne_text.join(hinten) if hinten else b"")  # kurz: geteilt, nicht verändern

    def _ergebnisteile(self, zeile, k: Kommune, stichtag, regelbasis) -> tuple[list, list[bytes]]:
        """Kurzergebnis und je Ergebnis der Text ab „Regel“ (mit Zeilenende, als UTF-8); jede Zeile ist Kommunenteil +
        dieser Text."""
        teile = []
        for rid, status, index in zeile.ergebnisse:
            regel = regelbasis.regel(rid)
            betrag = berechne(regel.foerderung, k, stichtag) if regel.foerderung is not None else None
            if self.deutsch:
                ohne = betrag is None or betrag.hoechstbetrag is None
                schluessel = (rid, status, index, tuple(zeile.offen.get(rid, ())), tuple(zeile.vorbehalte.get(rid, ())),
                              "" if ohne else betrag.hoechstbetrag, "" if ohne else betrag.bezug)
            else:
                schluessel = (rid, status, index, "" if betrag is None or betrag.hoechstbetrag_jahr is None
                              else betrag.hoechstbetrag_jahr)
            hinten = self._hinten.get(schluessel)
            if hinten is None:
                hinten = self._hinten[schluessel] = self._ergebnisteil(regel, schluessel).encode()
            teile.append(hinten)
        return [(rid, status.value) for rid, status, _ in zeile.ergebnisse], teile

    def _ergebnisteil(self, regel, schluessel: tuple) -> str:
        """Die Felder ab „Regel“ bis zum Zeilenende, für eine Ausprägung (Regel, Status, Fassung, offen, Betrag)."""
        if self.deutsch:
            rid, status, index, offen, vorbehalte, betrag, bezug = schluessel
            titel, art, gegenstand, verb, stand = self._regel_de(regel)
            zitat = regel.versionen[index].zitat
            if not zitat.norm_ermittelt:
                vorbehalte = ("Norm nicht ermittelt", *vorbehalte)
            felder = [rid, titel, art, gegenstand, verb, STATUS_DE[status.value], bezeichnungen(offen),
                      bezeichnungen(vorbehalte), zitat.norm, betrag, bezug, stand, self._stichtag_de]
        else:
            rid, status, index, betrag = schluessel
            verb = regel.verbindlichkeit.value if regel.verbindlichkeit else ""
            felder = [rid, regel.art.value, regel.gegenstand, verb, status.value, regel.versionen[index].zitat.norm, betrag,
                      self._stichtag_iso]
        return self._felder(felder) + self._ende

    def _regel_de(self, regel) -> tuple:
        """Die vom Profil unabhängigen Spalten einer Regel, einmal je Regel gebaut."""
        werte = self._je_regel.get(regel.id)
        if werte is None:
            verb = regel.verbindlichkeit.value if regel.verbindlichkeit else ""
            werte = self._je_regel[regel.id] = (regel.titel, ART_DE[regel.art.value], gegenstand_text(regel.gegenstand),
                                                verb, regel.stand.strftime("%d.%m.%Y"))
        return werte


class AtomareDatei:
    """Schreibt ``ziel`` atomar (siehe Modulbeschreibung); als Kontextmanager: ``with AtomareDatei(p) as f: f.write(…)``."""

    def __init__(self, ziel: Path, binaer: bool = False, aufschieben: bool = False):
        self.ziel = Path(ziel)
        self.binaer = binaer
        self.aufschieben = aufschieben  # nur vorbereiten; ersetzen erst ``ersetze`` (für ``schreibe_gemeinsam``)
        self._tmp: Path | None = None
        self._datei = None
        self._alter_sigterm = None
        self._fertig: Path | None = None  # vorbereitete temporäre Datei (aufschieben)
        self._text_offen = False  # Text im Puffer der Textschicht, der vor den nächsten Bytes hinaus muss

    def __enter__(self):
        try:
            self._oeffne()
        except OSError as exc:  # Name zu lang, Verzeichnis ohne Suchrecht, Schleife von Links …
            self._tmp = None
            raise DateiFehler(f"{self.ziel}: Die Ausgabedatei kann nicht angelegt werden ({_grund(exc)}).") from None
        if hasattr(signal, "SIGTERM") and _im_hauptthread():
            self._alter_sigterm = signal.signal(signal.SIGTERM, _sigterm)
        return self

    def _oeffne(self) -> None:
        art = _art(self.ziel)
        if art is not None and not stat.S_ISREG(art) and not stat.S_ISDIR(art):  # Gerät, Pipe: direkt, nie ersetzen
            try:
                self._datei = (open(self.ziel, "wb") if self.binaer
                               else open(self.ziel, "w", encoding="utf-8", newline=""))
            except OSError as exc:
                raise DateiFehler(f"{self.ziel}: Die Ausgabe kann nicht geöffnet werden ({_grund(exc)}).") from None
            return
        ziel = Path(os.path.realpath(self.ziel))  # ein Link bleibt ein Link: ersetzt wird seine Zieldatei
        art = _art(ziel)
        if art is not None and stat.S_ISDIR(art):
            raise DateiFehler(f"{self.ziel}: Das ist ein Verzeichnis, keine Datei.")
        if art is not None and (not art & 0o222 or not os.access(ziel, os.W_OK)):  # 0444: auch root ersetzt sie nicht
            raise DateiFehler(f"{self.ziel}: Die Datei ist schreibgeschützt und wird nicht ersetzt.")
        ordner = ziel.parent
        ordner_art = _art(ordner, fehler=True)
        if ordner_art is None or not stat.S_ISDIR(ordner_art):
            raise DateiFehler(f"{self.ziel}: Das Verzeichnis der Ausgabedatei existiert nicht.")
        self._echtes_ziel = ziel
        kurz = ziel.name[:40]
        self._tmp = ordner / f".{kurz}.{secrets.token_hex(4)}.tmp"
        try:
            fd = os.open(self._tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # Rechte nach umask des Nutzers
        except OSError as exc:
            self._tmp = None
            raise DateiFehler(f"{self.ziel}: Die Datei kann nicht angelegt werden ({_grund(exc)}).") from None
        if art is not None:
            os.chmod(self._tmp, os.stat(ziel).st_mode & 0o7777)  # eine ersetzte Datei behält ihre Rechte
        self._datei = os.fdopen(fd, "wb") if self.binaer else os.fdopen(fd, "w", encoding="utf-8", newline="")

    def write(self, text: str | bytes) -> None:
        """Text oder Bytes; Bytes in eine Textdatei gehen als UTF-8 unverändert hinein (schon kodierter Text)."""
        try:
            if isinstance(text, bytes) and not self.binaer:
                if self._text_offen:  # nur wenn Text vor den Bytes steht (sonst je Kommune ein leerer flush)
                    self._datei.flush()
                    self._text_offen = False
                self._datei.buffer.write(text)
            else:
                self._datei.write(text)
                self._text_offen = not self.binaer
        except OSError as exc:
            raise DateiFehler(f"{self.ziel}: Schreiben fehlgeschlagen ({_grund(exc)})"
                              + ("; die alte Datei bleibt unverändert." if self._tmp is not None else ".")) from None

    def __exit__(self, art, wert, tb) -> None:
        try:
            if art is None:
                try:
                    self._datei.flush()
                    if self._tmp is not None:
                        os.fsync(self._datei.fileno())
                        self._datei.close()
                        if self.aufschieben:
                            self._fertig = self._tmp
                        else:
                            os.replace(self._tmp, self._echtes_ziel)
                        self._tmp = None
                    else:
                        self._datei.close()
                except OSError as exc:
                    raise DateiFehler(f"{self.ziel}: Schreiben fehlgeschlagen ({_grund(exc)})"
                                      + ("; die alte Datei bleibt unverändert." if self._tmp is not None else ".")
                                      ) from None
        finally:
            if self._datei is not None and not self._datei.closed:
                try:
                    self._datei.close()
                except OSError:
                    pass
            if self._tmp is not None:
                try:
                    os.unlink(self._tmp)
                except OSError:
                    pass
            if self._alter_sigterm is not None:
                signal.signal(signal.SIGTERM, self._alter_sigterm)
        if art is KeyboardInterrupt:
            raise Abgebrochen("Abgebrochen – die Ausgabedatei wurde nicht verändert.") from None


def schreibe_gemeinsam(dateien: list[tuple[Path, str | bytes]]) -> None:
    """Mehrere Ergebnisdateien als Satz ersetzen (Bericht, Tabelle, Diagramme): erst alle vollständig in temporäre
    Dateien schreiben – scheitert eine (ein Verzeichnis statt einer Datei, volle Platte), bleibt jede alte Datei
    unverändert –, dann nacheinander ersetzen; scheitert dabei eine, kommen die schon ersetzten alten Dateien zurück
    (über eine harte Verknüpfung als Sicherung)."""
    bereit: list[AtomareDatei] = []
    try:
        for ziel, inhalt in dateien:
            datei = AtomareDatei(ziel, binaer=isinstance(inhalt, bytes), aufschieben=True)
            bereit.append(datei)
            with datei:
                datei.write(inhalt)
        erledigt: list[tuple[AtomareDatei, Path | None]] = []
        try:
            for datei in bereit:
                if datei._fertig is None:
                    continue  # Gerät oder Pipe: schon direkt geschrieben
                sicherung = _sicherung(datei._echtes_ziel)
                try:
                    os.replace(datei._fertig, datei._echtes_ziel)
                except OSError:
                    if sicherung is not None:
                        os.unlink(sicherung)
                    raise
                datei._fertig = None
                erledigt.append((datei, sicherung))
        except OSError as exc:
            for frueher, sicherung in reversed(erledigt):
                try:
                    if sicherung is not None:
                        os.replace(sicherung, frueher._echtes_ziel)
                    else:
                        os.unlink(frueher._echtes_ziel)
                except OSError:
                    pass
            raise DateiFehler(f"{datei.ziel}: Ersetzen fehlgeschlagen ({_grund(exc)}); die alten Dateien bleiben.") \
                from None
        for _, sicherung in erledigt:
            if sicherung is not None:
                try:
                    os.unlink(sicherung)
                except OSError:
                    pass
    finally:
        for datei in bereit:
            if datei._fertig is not None:
                try:
                    os.unlink(datei._fertig)
                except OSError:
                    pass


def pruefe_ziele(pfade: list[Path]) -> None:
    """Vor einer langen Rechnung: lassen sich die Ausgabedateien anlegen? (Ein ``DateiFehler`` jetzt statt nach einer
    Minute Rechnung.) Angelegt und gleich wieder entfernt wird nur eine leere temporäre Datei je Ziel."""
    for pfad in pfade:
        datei = AtomareDatei(pfad, aufschieben=True)
        with datei:
            pass
        if datei._fertig is not None:
            os.unlink(datei._fertig)
            datei._fertig = None


def _sicherung(ziel: Path) -> Path | None:
    """Eine harte Verknüpfung der alten Datei neben ihr (None, wenn es keine alte gibt oder das Dateisystem keine
    Verknüpfungen kennt – dann bleibt bei einem Fehler mittendrin nur die neue Datei)."""
    if not ziel.exists():
        return None
    sicherung = ziel.parent / f".{ziel.name[:40]}.{secrets.token_hex(4)}.alt"
    try:
        os.link(ziel, sicherung)
    except OSError:
        return None
    return sicherung


def _art(pfad: Path, fehler: bool = False) -> int | None:
    """``st_mode`` (folgt Links) oder None, wenn es den Pfad nicht gibt; andere Fehler (Name zu lang, kein
    Suchrecht) gehen an den Aufrufer – mit ``fehler`` auch „gibt es nicht“ als None."""
    try:
        return os.stat(pfad).st_mode
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        if fehler:
            return None
        raise


def _sigterm(signum, frame):  # pragma: no cover - im Unterprozess getestet
    raise KeyboardInterrupt


def _im_hauptthread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


_GRUENDE = {errno.ENOSPC: "kein Platz mehr auf dem Datenträger", errno.EROFS: "schreibgeschütztes Dateisystem",
            errno.EACCES: "keine Schreibrechte", errno.EPERM: "keine Schreibrechte",
            errno.ENAMETOOLONG: "Dateiname zu lang", errno.EXDEV: "anderes Dateisystem", errno.EDQUOT: "Kontingent erschöpft",
            errno.ENOTDIR: "ein Teil des Pfads ist kein Verzeichnis", errno.ELOOP: "zu viele symbolische Links",
            errno.EISDIR: "das ist ein Verzeichnis", errno.EBUSY: "das Ziel ist belegt", errno.EIO: "Ein-/Ausgabefehler",
            errno.ETXTBSY: "das Ziel ist belegt", errno.EMFILE: "zu viele offene Dateien"}


def _grund(exc: OSError) -> str:
    """Der Grund auf Deutsch; ein seltener Fehler mit seinem Kürzel (``strerror`` wäre englisch)."""
    return _GRUENDE.get(exc.errno, f"Betriebssystemfehler {errno.errorcode.get(exc.errno, exc.errno)}")


__all__ = ["CsvFormat", "JsonlFormat", "AtomareDatei", "schreibe_gemeinsam", "pruefe_ziele", "DateiFehler",
           "Abgebrochen"]
