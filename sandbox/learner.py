"""One learner's world: their data home, the catalogue, their store and the derived game.

The CLI, the dashboard and the grader all start here, so they resolve the same
data home and see the same progress.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sandbox.catalogue import Catalogue, default_catalogue
from sandbox.game import GameEngine
from sandbox.paths import data_home, profile_home
from sandbox.progress import Progress, ProgressStore


@dataclass(frozen=True)
class Learner:
    home: Path
    catalogue: Catalogue
    store: ProgressStore

    @classmethod
    def open(cls, home: Path | str | None = None, profile: str | None = None) -> Learner:
        """The learner of ``profile`` (default: the default profile) in the data home ``home``
        (else ``$SANDBOX_HOME``, else the platform default)."""
        resolved = profile_home(data_home(home), profile)
        return cls(resolved, default_catalogue(), ProgressStore(resolved))

    def progress(self) -> Progress:
        return self.store.load()

    def engine(self) -> GameEngine:
        return GameEngine(self.catalogue, self.store.load().events)
