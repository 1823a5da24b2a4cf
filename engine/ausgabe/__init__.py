"""Die Ausgabe: Bericht als Text und Markdown (``text``), JSON-Vertrag (``json_vertrag``), Regeln als Prosa
(``prosa``) und Ergebnisdateien der Massenauswertung (``dateien``). Liest Berichte, rechnet nichts neu."""
