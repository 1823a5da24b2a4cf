"""JSON Schema des Regelformats, erzeugt aus den pydantic-Modellen; eine Kopie liegt in ``schema/``."""

from __future__ import annotations

import json

from engine.regeln.format import Regel

SCHEMA_ID = "https://kommunalpflichten.invalid/schema/regeldatei.schema.json"


def regelschema() -> dict:
    schema = Regel.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "kommunalpflichten – Regeldatei"
    schema["description"] = (
        "Eine Regeldatei = eine Entscheidung auf Normebene: Tatbestand, Rechtsfolge, Fassungen mit Zitat und Wortlaut."
    )
    return schema


def regelschema_text() -> str:
    return json.dumps(regelschema(), ensure_ascii=False, indent=2) + "\n"
