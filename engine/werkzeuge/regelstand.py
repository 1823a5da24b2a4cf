"""Ein Regelstand zum Vergleichen: ein Regelordner oder eine Git-Revision des Repositoriums.

Eine Revision wird mit ``git archive`` gelesen (nie ausgecheckt: der Arbeitsbaum des Redakteurs bleibt unberührt)
und in ein temporäres Verzeichnis entpackt – nur gewöhnliche Dateien und Ordner unter ``rules/``.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from engine.fehler import KommunalpflichtenFehler
from engine.regeln.quelle import ist_regelwurzel

REGELORDNER = "rules"
GIT_ZEITLIMIT = 60  # Sekunden; ein Repositorium, das länger braucht, ist kein Regelstand


class RegelstandFehler(KommunalpflichtenFehler):
    exit_code = 2


@dataclass
class Regelstand:
    pfad: Path  # Ordner mit den Länderordnern
    beschreibung: str
    _temp: tempfile.TemporaryDirectory | None = None

    @property
    def aus_git(self) -> bool:
        return self._temp is not None

    def schliessen(self) -> None:
        if self._temp is not None:
            self._temp.cleanup()
            self._temp = None

    def __enter__(self) -> "Regelstand":
        return self

    def __exit__(self, *args) -> None:
        self.schliessen()


def oeffne(angabe: str, arbeitsverzeichnis: Path | None = None) -> Regelstand:
    """``angabe``: ein Regelordner (der Ordner mit den Länderordnern), ein Checkout (mit ``rules/``) oder eine
    Git-Revision des Repositoriums, in dem ``arbeitsverzeichnis`` liegt (``HEAD``, ``main``, ``HEAD~1``, ein Commit)."""
    arbeitsverzeichnis = arbeitsverzeichnis or Path.cwd()
    pfad = Path(angabe)
    if not pfad.is_absolute():
        pfad = arbeitsverzeichnis / pfad
    if pfad.is_dir():
        for kandidat in (pfad, pfad / REGELORDNER):
            if kandidat.is_dir() and ist_regelwurzel(kandidat):
                return Regelstand(kandidat.resolve(), f"Verzeichnis {kandidat.resolve()}")
        raise RegelstandFehler(f"„{angabe}“ ist ein Ordner, enthält aber keine Länderordner (z. B. hessen/) und keinen "
                               f"Ordner {REGELORDNER}/ mit Länderordnern.")
    if angabe.startswith("-") or not angabe.strip():
        raise RegelstandFehler(f"„{angabe}“ ist weder ein Regelordner noch eine Git-Revision.")
    return _aus_git(angabe, arbeitsverzeichnis)


def _git(argumente: list[str], ort: Path, binaer: bool = False) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", "-C", str(ort), *argumente], capture_output=True, text=not binaer,
                              timeout=GIT_ZEITLIMIT, check=False)
    except FileNotFoundError:
        raise RegelstandFehler("git ist nicht installiert; eine Revision lässt sich ohne git nicht lesen.") from None
    except subprocess.TimeoutExpired:
        raise RegelstandFehler(f"git antwortete nicht innerhalb von {GIT_ZEITLIMIT} s.") from None


def _aus_git(revision: str, ort: Path) -> Regelstand:
    wurzel = _git(["rev-parse", "--show-toplevel"], ort)
    if wurzel.returncode != 0:
        raise RegelstandFehler(f"„{revision}“ ist kein Regelordner, und {ort} liegt in keinem Git-Repositorium – eine "
                               "Revision lässt sich hier nicht lesen.")
    repo = Path(wurzel.stdout.strip())
    commit = _git(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], repo)
    if commit.returncode != 0:
        raise RegelstandFehler(f"„{revision}“ ist weder ein Regelordner noch eine Revision dieses Repositoriums "
                               f"({repo}).")
    kennung = commit.stdout.strip()
    archiv = _git(["archive", "--format=tar", kennung, REGELORDNER], repo, binaer=True)
    if archiv.returncode != 0:
        raise RegelstandFehler(f"Die Revision „{revision}“ ({kennung[:10]}) enthält keinen Ordner {REGELORDNER}/.")
    temp = tempfile.TemporaryDirectory(prefix="kommunalpflichten-regelstand-")
    try:
        _entpacke(archiv.stdout, Path(temp.name))
    except BaseException:
        temp.cleanup()
        raise
    pfad = Path(temp.name) / REGELORDNER
    if not ist_regelwurzel(pfad):
        temp.cleanup()
        raise RegelstandFehler(f"Die Revision „{revision}“ enthält unter {REGELORDNER}/ keine Länderordner.")
    return Regelstand(pfad, f"Git-Revision {revision} ({kennung[:10]})", temp)


def _entpacke(daten: bytes, ziel: Path) -> None:
    """Nur Ordner und gewöhnliche Dateien mit relativen Pfaden ohne „..“; Links und Geräte werden übergangen."""
    with tarfile.open(fileobj=io.BytesIO(daten), mode="r:") as tar:
        for eintrag in tar:
            teile = PurePosixPath(eintrag.name).parts
            if not teile or teile[0] != REGELORDNER or ".." in teile or PurePosixPath(eintrag.name).is_absolute():
                continue
            pfad = ziel.joinpath(*teile)
            if eintrag.isdir():
                pfad.mkdir(parents=True, exist_ok=True)
            elif eintrag.isfile():
                pfad.parent.mkdir(parents=True, exist_ok=True)
                quelle = tar.extractfile(eintrag)
                with open(pfad, "wb") as datei:
                    shutil.copyfileobj(quelle, datei)


__all__ = ["Regelstand", "RegelstandFehler", "oeffne"]
