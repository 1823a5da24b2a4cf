#!/usr/bin/env bash
# Eine Regeländerung prüfen, wie es ein Review braucht – lokal oder in einer CI:
#   1. regeln pruefen   (Form, Fundstellen, Wortlaut ↔ Operator, Lücken, durable-rules)
#   2. regeln testen    (die YAML-Regeltests aller Länder)
#   3. regeln wirkung   (welche Kommunen die Änderung trifft; Markdown für den Review-Kommentar)
#
# Aufruf im Checkout:  scripts/regelaenderung_pruefen.sh [ALT] [BERICHT.md]
#   ALT: Git-Revision des alten Stands (Standard: origin/main, sonst main, sonst HEAD)
#   BERICHT.md: wohin der Wirkungsbericht geschrieben wird (Standard: wirkung.md)
# Exit-Code: 0 = alles bestanden, sonst der Exit-Code des ersten gescheiterten Schritts.
set -uo pipefail
cd "$(git rev-parse --show-toplevel)"
kp="${KOMMUNALPFLICHTEN:-kommunalpflichten}"
alt="${1:-}"
if [ -z "$alt" ]; then
  for kandidat in origin/main main HEAD; do
    if git rev-parse --verify --quiet "$kandidat^{commit}" >/dev/null; then alt="$kandidat"; break; fi
  done
fi
bericht="${2:-wirkung.md}"

echo "== 1/3 regeln pruefen"
"$kp" regeln pruefen --ohne-fortschritt || exit $?
echo "== 2/3 regeln testen"
"$kp" regeln testen --ohne-fortschritt || exit $?
echo "== 3/3 regeln wirkung $alt ."
"$kp" regeln wirkung "$alt" . --format markdown --ausgabe "$bericht" >/dev/null || exit $?
echo "Wirkungsbericht: $bericht"
