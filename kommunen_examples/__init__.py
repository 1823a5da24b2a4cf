"""Beispielprofile echter Kommunen (Daten, kein Code)."""
