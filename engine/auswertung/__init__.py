"""Die Auswertung einer Kommune an einem Stichtag: Regeln → durable-rules-Regelsätze (``kompilieren``), der einzige
Zugang zu durable-rules (``durable``), das Orakel in reinem Python (``referenz``), Spannen (``bereiche``), Förderhöhen
(``betraege``), der Bericht mit Begründung (``bericht``) und die Massenauswertung (``massen``).
Baut auf ``regeln`` und ``kommunen`` auf; weiß nichts über Ausgabeformate."""
