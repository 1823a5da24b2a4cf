"""Die Regelbasis: das Regelformat (``modell``), Laden und gemeinsame Prüfung aller Regeldateien (``basis``), die Logik
der Bedingungen (``logik``) und die Formulierungen des Wortlauts (``wortlaut``). Kennt weder Kommunen noch Auswertung."""
