"""Ein Word-Bericht als Seitenbilder für docs/bilder/ (Issue 22: jede Seite ansehen, bevor sie in die README kommt).

Braucht LibreOffice (Debian: libreoffice-writer) und pdftoppm (poppler-utils). Bilder als PNG mit 256 Farben.

Aufruf:  python scripts/docx_seiten.py --ags 05315000 --stichtag 2026-12-01 --name docx_koeln [--ziel docs/bilder]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

WURZEL = Path(__file__).resolve().parent.parent


def main() -> None:
    a = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    a.add_argument("--ags", required=True)
    a.add_argument("--stichtag", required=True)
    a.add_argument("--name", required=True, help="Anfang der Bilddateien, z. B. docx_koeln → docx_koeln_1.png …")
    a.add_argument("--ziel", default=str(WURZEL / "docs" / "bilder"))
    a.add_argument("--dpi", type=int, default=80)
    args = a.parse_args()
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        docx = Path(tmp) / "bericht.docx"
        subprocess.run([sys.executable, "-m", "cli.main", "check", "--ags", args.ags, "--stichtag", args.stichtag,
                        "--format", "docx", "--ausgabe", str(docx)], cwd=WURZEL, check=True)
        subprocess.run(["libreoffice", "--headless", "--convert-to", "pdf", "--outdir", tmp, str(docx)], check=True,
                       capture_output=True, timeout=300)
        subprocess.run(["pdftoppm", "-r", str(args.dpi), "-png", str(Path(tmp) / "bericht.pdf"),
                        str(Path(tmp) / "seite")], check=True)
        for nummer, seite in enumerate(sorted(Path(tmp).glob("seite-*.png"), key=lambda p: int(p.stem[6:])), 1):
            ziel = Path(args.ziel) / f"{args.name}_{nummer}.png"
            Image.open(seite).convert("RGB").quantize(256).save(ziel, optimize=True)
            print(ziel)


if __name__ == "__main__":
    main()
