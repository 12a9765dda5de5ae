"""The learner's copies of starter notebooks, under ``<data home>/workspace/``.

The starter notebook in the repository is never edited; ``prepare`` copies it
into the workspace once and never overwrites the learner's copy afterwards.
A reset first moves the learner's copy to ``backups/`` and then restores the
starter.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from sandbox.catalogue import Challenge
from sandbox.paths import backups_dir, workspace_dir


def notebook_path(home: Path, challenge: Challenge) -> Path:
    """Where the learner's copy of the challenge's notebook lives."""
    return workspace_dir(home) / f"level_{challenge.level}" / f"{challenge.id}.ipynb"


def prepare(home: Path, challenge: Challenge) -> tuple[Path, bool]:
    """Copy the starter into the workspace if absent; return (path, created)."""
    target = notebook_path(home, challenge)
    if target.exists():
        return target, False
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    shutil.copyfile(challenge.notebook, tmp)
    tmp.replace(target)
    return target, True


def backup_notebook(home: Path, challenge: Challenge) -> Path | None:
    """Copy the learner's notebook to backups/; None when there is none."""
    source = notebook_path(home, challenge)
    if not source.exists():
        return None
    folder = backups_dir(home) / "notebooks"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{challenge.id}-{stamp}.ipynb"
    shutil.copy2(source, target)
    return target


def restore_starter(home: Path, challenge: Challenge) -> Path | None:
    """Back up the learner's notebook, then put the starter in its place.

    Returns the backup path (None when the learner had no copy yet, in which
    case nothing is created: the next ``prepare`` makes a fresh copy).
    """
    backup = backup_notebook(home, challenge)
    if backup is not None:
        target = notebook_path(home, challenge)
        tmp = target.with_name(f".{target.name}.tmp")
        shutil.copyfile(challenge.notebook, tmp)
        tmp.replace(target)
    return backup
