"""Baut den mitgelieferten C-Kern von durable-rules als optionale Erweiterung.

Alles andere steht in pyproject.toml. ``optional=True``: Fehlt ein C-Compiler (z. B. auf einem Büro-PC), wird die
Erweiterung übersprungen, die Installation gelingt trotzdem, und die Engine wertet mit dem eingebauten
Referenz-Auswerter aus (jede Ausgabe nennt den Auswerter). Quelle und Lizenz: vendor/durable_rules/README.md.
"""

import sys

from setuptools import Extension, setup

QUELLEN = [f"vendor/durable_rules/src/rules/{name}.c" for name in ("json", "rete", "state", "events", "regex")]
FLAGS = [] if sys.platform == "win32" else ["-std=c99", "-D_GNU_SOURCE", "-fcommon", "-w"]

setup(
    ext_modules=[
        Extension(
            "durable_rules_engine",
            sources=["vendor/durable_rules/src/rulespy/rules.c", *QUELLEN],
            include_dirs=["vendor/durable_rules/src/rules"],
            extra_compile_args=FLAGS,
            optional=True,
        )
    ]
)
