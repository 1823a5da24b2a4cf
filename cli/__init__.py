"""Kommandozeile von kommunalpflichten (click)."""
