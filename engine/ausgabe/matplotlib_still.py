"""matplotlib ohne englische Zwischenrufe: „Glyph … missing from font“ (ein Zeichen eines Szenarionamens fehlt der
Schrift – es erscheint als Kästchen) oder „findfont: …“ hilft auf stderr niemandem und stünde neben deutschen
Meldungen. Für Diagramme und Karten der Berichte."""

from __future__ import annotations

import contextlib
import logging
import warnings


@contextlib.contextmanager
def still():
    protokoll = logging.getLogger("matplotlib")
    stufe = protokoll.level
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        protokoll.setLevel(logging.ERROR)
        try:
            yield
        finally:
            protokoll.setLevel(stufe)


__all__ = ["still"]
