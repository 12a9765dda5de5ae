"""One learner's world: their data home, the catalogue, their store and the derived game.

The CLI, the dashboard and the grader all start here, so they resolve the same
data home and see the same progress. The learner's actions that touch more than
the store — opening a challenge, resetting — live here too, once, for every door.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sandbox.catalogue import Catalogue, Challenge, default_catalogue
from sandbox.errors import UsageError
from sandbox.game import ChallengeState, GameEngine
from sandbox.paths import data_home, profile_home, validate_slug
from sandbox.progress import Progress, ProgressStore


@dataclass(frozen=True)
class OpenedChallenge:
    """What :meth:`Learner.open_challenge` did."""

    challenge: Challenge
    notebook: Path  # the learner's copy in the workspace
    created: bool  # False: the learner's existing copy was kept
    state: ChallengeState  # the challenge's state before it was opened


@dataclass(frozen=True)
class ResetOutcome:
    """What :meth:`Learner.reset` did."""

    scope: str  # "challenge", "level" or "all"
    challenges: tuple[Challenge, ...]
    progress_backup: Path | None  # None: there was no progress file yet
    notebook_backups: tuple[Path, ...]  # learner notebooks moved aside (starters restored)
    not_restored: tuple[str, ...] = ()  # one message per starter that could not be put back


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

    def open_challenge(self, challenge_id: str) -> OpenedChallenge:
        """Get a challenge ready to work on: copy its starter into the workspace (never over
        the learner's copy), make sure the notebook's Jupyter kernel is registered and
        record an ``opened`` event. Starting JupyterLab is the caller's business."""
        from sandbox import workspace
        from sandbox.grading.verify import ensure_kernel

        challenge = self.catalogue.get(validate_slug(challenge_id))
        state = self.engine().status(challenge.id).state
        notebook, created = workspace.prepare(self.home, challenge)
        ensure_kernel()
        self.store.append("opened", challenge.id)
        return OpenedChallenge(challenge, notebook, created, state)

    def reset(self, challenge_id: str | None = None, level: int | None = None) -> ResetOutcome:
        """Start one challenge, every challenge of a level, or (neither given) everything again.

        The store is backed up and a ``reset`` event recorded (see the game's rules for what
        it undoes); each learner notebook of those challenges is backed up and replaced by its
        starter, all copies made before the event is recorded (see :func:`workspace.reset`).
        """
        from sandbox import workspace

        if challenge_id is not None and level is not None:
            raise UsageError("Reset a challenge or a level, not both.")
        if challenge_id is not None:
            targets = [self.catalogue.get(validate_slug(challenge_id))]
            scope, ids = "challenge", [targets[0].id]
        elif level is not None:
            targets = self.catalogue.in_level(self.catalogue.level(level).number)
            scope, ids = "level", [c.id for c in targets]
        else:
            targets, scope, ids = list(self.catalogue), "all", None
        done = workspace.reset(self.store, self.home, scope, ids, targets)
        return ResetOutcome(
            scope, tuple(targets), done.progress_backup, done.notebook_backups, done.not_restored
        )
