"""kommunalpflichten: Regel-Engine für kommunale Pflichten und Förderprogramme in Migration und Integration.

Die Regeln stehen als Daten in ``rules/`` (YAML, je Land ein Ordner); dieses Paket lädt und prüft sie,
übersetzt sie in durable-rules-Regelsätze und wertet Kommunenprofile mit Begründung und Zitat aus.
"""

__version__ = "0.2.0"
