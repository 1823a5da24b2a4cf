"""CSV der Massenauswertung: eine Zeile je Kommune und Regel – für deutsches Excel (Semikolon, UTF-8 mit BOM,
deutsche Spaltennamen) oder international (Komma, technische Spaltennamen)."""

from __future__ import annotations

import csv
import datetime as dt
import io

from engine.ausgabe.massen_tabelle import ART_DE, STATUS_DE, bezeichnungen
from engine.ausgabe.ueberblick import gegenstand_text
from engine.auswertung import dokumentklasse
from engine.auswertung.betraege import berechne, haengt_von_einwohnern
from engine.auswertung.massen import bewerte
from engine.begriffe import KOMMUNALTYPEN, LAENDER
from engine.kommunen.profil import Kommune
from engine.regeln.basis import Regelbasis

CSV_INTERNATIONAL_SPALTEN = ["ags", "name", "land", "typ", "einwohner", "auslaendische_einwohner", "auslaender_von",
                             "auslaender_bis", "regel", "art", "gegenstand", "verbindlichkeit", "status", "norm",
                             "hoechstbetrag_jahr", "stichtag"]
CSV_SPALTEN = ["AGS", "Name", "Land", "Kreis", "Kommunaltyp", "Einwohner", "Ausländische Einwohner (Schätzung)",
               "Ausländische Einwohner von", "Ausländische Einwohner bis", "Regel", "Titel", "Art", "Gegenstand",
               "Verbindlichkeit", "Status", "Offene Fragen", "Vorbehalte", "Norm", "Höchstbetrag (Euro)",
               "Betrag je", "Rechtsstand geprüft am", "Stichtag"]



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
        self._je_klasse: dict[tuple, tuple] = {}  # (Dokumentklasse, Stichtag) → (Kurzergebnis, Teile)

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

    def __call__(self, kommune: Kommune, stichtag, regelbasis, auswerter, zwischenspeicher) -> tuple[list, bytes]:
        """(Kurzergebnis, Zeilen als UTF-8): je Ergebnis der Teil der Kommune und der Teil des Ergebnisses."""
        kurz, hinten = self._teile(kommune, stichtag, regelbasis, auswerter, zwischenspeicher)
        vorne_text = self._kommunenteil(self._vorne(kommune)).encode()
        return kurz, (vorne_text + vorne_text.join(hinten) if hinten else b"")  # kurz: geteilt, nicht verändern

    def _teile(self, k: Kommune, stichtag, regelbasis, auswerter, zwischenspeicher) -> tuple[list, list[bytes]]:
        """Kurzergebnis und Ergebnisteile. In der Massenauswertung hängen sie in einem Land, dessen Regeln keine Zahl
        lesen, nur an der Dokumentklasse (``dokumentklasse.schluessel``: Land, Typ, gefragte Merkmale): je Klasse einmal
        aus dem Stellvertreter gerechnet."""
        if zwischenspeicher is not None and regelbasis is self.regelbasis:
            klasse = dokumentklasse.schluessel(k, regelbasis)
            if klasse[-1] is None:
                treffer = self._je_klasse.get((klasse, stichtag))
                if treffer is None:
                    vertreter = dokumentklasse.stellvertreter(k, regelbasis)
                    treffer = self._je_klasse[(klasse, stichtag)] = self._ergebnisteile(
                        bewerte(vertreter, stichtag, regelbasis, auswerter, zwischenspeicher, nur_lesen=True), vertreter,
                        stichtag, regelbasis)
                return treffer
        zeile = bewerte(k, stichtag, regelbasis, auswerter, zwischenspeicher)
        geteilt = zeile.geteilt
        if geteilt is None:
            return self._ergebnisteile(zeile, k, stichtag, regelbasis)
        # gleicher Eintrag im Zwischenspeicher ⇒ gleiche Teile, außer ein Betrag hängt an den Einwohnern
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
        return teile

    def _vorne(self, k: Kommune) -> list:
        """Die Felder der Kommune (bis „Ausländische Einwohner bis“)."""
        a_von, a_bis = k.spanne("auslaendische_einwohner")
        if self.deutsch:
            return [k.ags or "", k.name, LAENDER[k.land].name if k.land in LAENDER else k.land, k.kreis or "",
                    KOMMUNALTYPEN[k.typ].bezeichnung, k.einwohner, k.auslaendische_einwohner, a_von, a_bis]
        return [k.ags, k.name, k.land, k.typ, k.einwohner, k.auslaendische_einwohner, a_von, a_bis]

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


__all__ = ["CsvFormat", "CSV_SPALTEN", "CSV_INTERNATIONAL_SPALTEN"]
