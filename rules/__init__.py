"""Die Regeldateien (YAML, je Land ein Ordner). Kein Code: das Paket dient nur dazu, die Dateien mitzuinstallieren."""
