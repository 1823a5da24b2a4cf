"""Werkzeuge für Rechtsberater, die Regeldateien schreiben: ``regeln pruefen`` (``pruefung``), YAML-Regeltests
(``regeltests``), Zeugenprofile (``zeugen``) und das JSON Schema (``schema``). Nutzen die Auswertung als Orakel."""
