"""Das Berichtsmodell: ein Bericht als geordnete Abschnitte mit typisierten Einträgen – einmal gebaut
(``aufbau.baue``), von jeder Form nur gezeichnet (Text, Markdown, DOCX, Webseite, Druckansicht).

Warum ein eigenes Modell: solange jede Form die Abschnitte selbst aus der Auswertung ableitete, lief jede für sich
auseinander (Optionen der Kommandozeile im Word-Dokument, Recherchevermerke auf der Webseite, ein Status, der nicht
zur beantworteten Frage passt). Hier steht jede Aussage einmal, in Worten für Menschen; was die Nutzerin tun kann,
steht als ``Aktion`` da, und jede Form sagt es auf ihre Art (Option, Formularfeld, Satz).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

ZAHLFELDER = {"auslaendische_einwohner": "Ausländische Einwohner", "auslaenderanteil": "Ausländische Einwohner",
              "einwohner": "Einwohner"}


@dataclass(frozen=True)
class Aktion:
    """Was die Nutzerin tun kann, um eine offene Frage zu klären: ein Merkmal angeben oder eine eigene Zahl."""

    art: str  # "merkmal" | "zahl"
    feld: str  # Name des Merkmals oder einwohner / auslaendische_einwohner
    wahrheitswert: bool = True  # Merkmal mit ja/nein (sonst eine Anzahl)

    def als_option(self) -> str:
        """Für die Kommandozeile."""
        if self.art == "zahl":
            return f"--{self.feld.replace('_', '-')} N"
        return f"--merkmal {self.feld}={'ja|nein' if self.wahrheitswert else 'N'}"

    def als_satz(self) -> str:
        """Für ein Dokument (Ratsvorlage, Ausdruck): was die Verwaltung klären muss – ohne Bedienhinweise."""
        if self.art == "zahl":
            name = "Einwohnerzahl" if self.feld == "einwohner" else "Zahl der ausländischen Einwohner"
            return f"zu klären mit der {name} des Melderegisters zum Stichtag der Norm"
        return "zu klären durch die Verwaltung"

    @property
    def feld_id(self) -> str:
        """Das Formularfeld der Webseite."""
        return self.feld if self.art == "zahl" else f"m-{self.feld}"


@dataclass
class Frage:
    """Eine offene Frage, von der Ergebnisse abhängen – einmal im Bericht, die Karten verweisen mit ``nummer``."""

    nummer: int
    merkmal: str
    text: str
    aktion: Aktion
    folgen: list[str] = field(default_factory=list)  # „Integrationsbeirat: wenn mindestens 10 %: gilt; sonst: …“


@dataclass
class Abhaengigkeit:
    """Wovon ein offenes Ergebnis abhängt: die Frage und beide Ausgänge."""

    frage: int
    bedingung: str
    wenn_ja: str
    wenn_nein: str
    zahl: bool = False  # die Frage ist eine Zahl (die Spanne der Schätzung überdeckt die Schwelle)

    def text(self) -> str:
        return f"Frage {self.frage}: wenn {self.bedingung}: {self.wenn_ja}; sonst: {self.wenn_nein}"


@dataclass
class Vorbehalt:
    """Eine Einschränkung, die an der Karte sichtbar bleibt: eine Ausnahme mit unbekannter Voraussetzung oder eine
    Zuständigkeit, deren Norm nicht ermittelt ist."""

    art: str  # "ausnahme" | "norm"
    text: str  # kurz, z. B. „entfällt bei: Integrationsausschuss statt Integrationsrat (§ 27 Abs. 12 GO NRW)“
    ausfuehrlich: str = ""
    frage: int | None = None
    ausnahme: str = ""  # Titel der Ausnahme (ohne Norm)


@dataclass
class Zahl:
    """Eine Zahl mit ihrer Spanne (von = bis, wenn sie feststeht)."""

    bezeichnung: str
    wert: int
    von: int
    bis: int
    anteil: str = ""  # „≈ 13,06 %“ bei ausländischen Einwohnern

    @property
    def spanne(self) -> bool:
        return self.von != self.bis


@dataclass
class Fundstelle:
    """Die Rechtsgrundlage einer Karte mit allem, was eine Leserin zum Nachprüfen braucht."""

    norm: str
    gesetz: str
    url: str
    amtliche_fundstelle: str = ""
    wortlaut: str = ""
    inhalt: str = ""
    inhalt_nach: str = ""  # öffentliche Quelle der Inhaltsangabe (interne Vermerke entfernt)
    pruefstatus: str = ""  # kurz: „nur Sekundärquelle“
    pruefstatus_lang: str = ""
    abgleich: str = ""  # „Wortlaut abgeglichen mit: …“
    gueltig_ab: dt.date | None = None
    gueltig_bis: dt.date | None = None
    stand: dt.date | None = None
    gesucht: str = ""  # bei nicht ermittelter Norm: wo gesucht wurde

    @property
    def mit_fundstelle(self) -> str:
        return f"{self.norm} ({self.amtliche_fundstelle})" if self.amtliche_fundstelle else self.norm

    @property
    def kurz(self) -> str:
        """Für den kurzen Bericht: die Norm, mit der Fundstelle nur, wenn sie knapp ist („GVBl. I 2005 S. 142“);
        lange Fundstellen mit Erläuterungen stehen im ausführlichen Bericht und in den Dokumenten."""
        knapp = self.amtliche_fundstelle.split(" (")[0].split("; ")[0]
        return f"{self.norm} ({knapp})" if knapp and len(knapp) <= 40 else self.norm

    @property
    def abgeglichen(self) -> bool:
        return self.pruefstatus in ("amtlich abgeglichen", "Wortlaut verifiziert")


@dataclass
class Ausnahme:
    titel: str
    norm: str
    greift: bool
    gruende: list[str]
    wortlaut: str = ""


@dataclass
class Foerderung:
    programm: str
    foerdergeber: str
    hoehe: str  # „bis zu 145.000 € je Jahr“ oder „nicht pauschal bestimmbar“
    rechnung: str = ""
    bewilligung: str = ""
    antragsfrist: str = ""
    naechste_frist: dt.date | None = None
    zeitraum: str = ""
    voraussetzungen: list[str] = field(default_factory=list)
    haushaltsvorbehalt: bool = True
    laeuft_aus: dt.date | None = None
    betrag: int | None = None
    einmalig: bool = False


@dataclass
class Eintrag:
    """Ein Ergebnis: Pflicht, Option, Förderprogramm oder Hinweis."""

    regel_id: str
    art: str  # "pflicht" | "option" | "foerderung" | "hinweis"
    gegenstand: str
    titel: str
    name: str  # kurz für Übersichten: bei Pflichtaufgaben der Gegenstand, bei Programmen das Programm
    marke: str  # „MUSS“, „OFFEN (soll)“, „VORBEHALT (muss)“, „ENTFÄLLT (muss)“, „FÖRDERFÄHIG“, „HINWEIS“
    status: str  # "gilt" | "unbestimmt" | "entfaellt"
    verbindlichkeit: str | None
    verbindlichkeit_text: str  # „Pflicht“, „Soll-Vorschrift: …“; leer bei Hinweisen und entfallenen
    rechtsfolge: str
    kernsatz: str  # der erste Satz der Rechtsfolge (leer, wenn er zu lang ist)
    gruende: list[str]  # kurz: die verglichenen Tatsachen
    gruende_lang: list[str]  # ausführlich: mit Kommunaltyp der Regel und Fassung
    fundstelle: Fundstelle
    offen: list[Abhaengigkeit] = field(default_factory=list)
    spanne: bool = False  # hängt von der Spanne der geschätzten Zahlen ab
    vorbehalte: list[Vorbehalt] = field(default_factory=list)
    ausnahmen: list[Ausnahme] = field(default_factory=list)
    foerderung: Foerderung | None = None
    aufgabentyp: str = ""
    hinweis: str = ""
    abweichung_studie: str = ""
    szenario: bool = False
    bundesrecht: bool = False
    abschnitt: str = ""  # Schlüssel des Abschnitts, in dem der Eintrag steht

    @property
    def entfaellt_wegen(self) -> Ausnahme | None:
        return next((a for a in self.ausnahmen if a.greift), None)


@dataclass
class Abschnitt:
    schluessel: str  # gremium | pflichtaufgaben | foerderung | hinweise | entfallen
    titel: str
    eintraege: list[Eintrag]
    karten: bool  # der kurze Bericht zeigt ganze Karten (sonst eine Zeile je Eintrag)
    zusatz: str = ""  # gilt für den ganzen Abschnitt, z. B. „Haushaltsvorbehalt, kein Rechtsanspruch“


@dataclass
class Blickgruppe:
    """Eine Zeile von „Auf einen Blick“: alle Einträge mit derselben Marke (MUSS und SOLL nie zusammen)."""

    marke: str
    bezeichnung: str  # für Leser ohne die Marken: „Pflichten“, „Soll-Vorschriften“, „offen: hängt von Fragen ab“
    punkte: list[Eintrag]


@dataclass
class Termin:
    """Ein Eintrag von „Demnächst“: Rechtsänderung, Antragsfrist oder Ende einer Förderphase."""

    datum: dt.date
    art: str  # rechtsaenderung | frist | foerderphase_endet
    text: str
    norm: str = ""


@dataclass
class NichtErfuellt:
    titel: str
    norm: str
    foerderung: bool
    gruende: list[str]
    abstand: list[str]
    im_kurzbericht: bool  # mit Abstand zur Schwelle, ein Programm oder der einzige Beleg zu seinem Gegenstand


@dataclass
class Kopf:
    name: str
    beschreibung: str  # „Kommunaltyp, Kreis, Land (AGS …)“
    ags: str
    typ: str
    land: str
    kreis: str
    zahlen: list[Zahl]
    geschaetzt: bool
    schaetzung: str  # wie geschätzt wurde (lang, nur ausführlich)
    quelle: str
    quelle_lang: str
    typ_herleitung: str
    bekannt: list[tuple[str, str, str]]  # (Merkmal, Wert, Herkunft)
    unbekannt: list[str]
    spanne_entscheidet: bool  # ein Ergebnis ist offen, weil die Spanne eine Schwelle überdeckt
    szenario: str = ""  # Warnung, wenn die Regelbasis Entwürfe enthält


@dataclass
class Berichtsmodell:
    kopf: Kopf
    stichtag: dt.date
    blick: list[Blickgruppe]
    summe_foerderung: str  # „zusammen bis zu … je Jahr“, wenn mehr als ein Betrag berechnet ist
    fragen: list[Frage]
    demnaechst: list[Termin]
    horizont: dt.date
    abschnitte: list[Abschnitt]
    nicht_erfuellt: list[NichtErfuellt]
    beendet: list[str]
    luecken: list[str]
    fuss: str  # Regelbasis, Auswerter, Rechtsstand der Regeln
    daten: str  # Datenquelle (Lizenz)
    daten_kurz: str
    regelbasis: str = ""
    auswerter: str = ""

    def eintraege(self) -> list[Eintrag]:
        return [e for a in self.abschnitte for e in a.eintraege]


__all__ = ["Aktion", "Frage", "Abhaengigkeit", "Vorbehalt", "Zahl", "Fundstelle", "Ausnahme", "Foerderung", "Eintrag",
           "Abschnitt", "Blickgruppe", "Termin", "NichtErfuellt", "Kopf", "Berichtsmodell", "ZAHLFELDER"]
