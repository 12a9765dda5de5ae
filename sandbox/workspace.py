"""The learner's copies of starter notebooks, under ``<data home>/workspace/``.

The starter notebook in the repository is never edited; ``prepare`` copies it
into the workspace once and never overwrites the learner's copy afterwards.
A reset first moves the learner's copy to ``backups/`` and then restores the
starter (:func:`reset`). Every copy goes through :func:`sandbox.files.atomic_copy`, so a full disk
leaves the old file (or none), never a partial notebook or a stray temp file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sandbox.catalogue import Challenge
from sandbox.errors import StorageError
from sandbox.files import Staged, atomic_copy, stage_copy
from sandbox.paths import backups_dir, workspace_dir
from sandbox.progress import ProgressStore


def notebook_path(home: Path, challenge: Challenge) -> Path:
    """Where the learner's copy of the challenge's notebook lives."""
    return workspace_dir(home) / f"level_{challenge.level}" / f"{challenge.id}.ipynb"


def prepare(home: Path, challenge: Challenge) -> tuple[Path, bool]:
    """Copy the starter into the workspace if absent; return (path, created)."""
    target = notebook_path(home, challenge)
    if target.exists():
        return target, False
    atomic_copy(challenge.notebook, target)
    return target, True


def backup_notebook(home: Path, challenge: Challenge) -> Path | None:
    """Copy the learner's notebook to backups/; None when there is none."""
    source = notebook_path(home, challenge)
    if not source.exists():
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = backups_dir(home) / "notebooks" / f"{challenge.id}-{stamp}.ipynb"
    atomic_copy(source, target)
    return target


@dataclass(frozen=True)
class ResetOutcome:
    """What :func:`reset` did: the progress backup, notebook backups, and starters not put back."""

    progress_backup: Path | None
    notebook_backups: tuple[Path, ...]
    not_restored: tuple[str, ...] = ()
    """One message per challenge whose starter could not replace the learner's notebook."""


def reset(
    store: ProgressStore,
    home: Path,
    scope: str,
    ids: Sequence[str] | None,
    challenges: Sequence[Challenge],
) -> ResetOutcome:
    """Reset progress and put the starters of ``challenges`` back.

    Everything that needs disk space comes first: each of the learner's notebooks is copied
    to ``backups/notebooks`` and each starter is written, complete, to a temp file beside
    it. Then the reset event is recorded, and only then are the starters renamed into
    place (a rename needs no space). So a full disk before the event leaves the store and
    every notebook as they were; a rename that fails after it leaves that notebook as it
    was and is reported in ``not_restored``.
    """
    store.load()  # an unreadable store stops the reset before any copy is made
    staged: list[tuple[Challenge, Staged]] = []
    backups: list[Path] = []
    try:
        for challenge in challenges:
            backup = backup_notebook(home, challenge)
            if backup is not None:
                backups.append(backup)
                staged.append(
                    (challenge, stage_copy(challenge.notebook, notebook_path(home, challenge)))
                )
        _, progress_backup = store.reset(scope, ids)
    except BaseException:
        for _, item in staged:
            item.discard()
        raise
    not_restored = []
    for challenge, item in staged:
        try:
            item.commit()
        except StorageError as exc:
            not_restored.append(f"the starter of {challenge.id} was not put back: {exc}")
    return ResetOutcome(progress_backup, tuple(backups), tuple(not_restored))
