"""Webseite und HTTP-API von kommunalpflichten (``kommunalpflichten web``): dieselbe Auswertung wie ``check``, für
Verwaltungen ohne Terminal und für Fachverfahren, die per JSON fragen."""
