"""The learner's actions every door shares: opening a challenge and resetting."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.errors import NotFoundError, UnknownChallengeError, UsageError
from sandbox.game import ChallengeState
from sandbox.learner import Learner
from sandbox.progress import ProgressStore
from sandbox.workspace import notebook_path

pytestmark = pytest.mark.usefixtures("fixture_content")


def kinds(home: Path) -> list[str]:
    return [e.kind for e in ProgressStore(home).load().events]


def test_open_challenge_copies_the_starter_once_registers_the_kernel_and_records_it(
    home: Path,
) -> None:
    from jupyter_client.kernelspec import KernelSpecManager

    from sandbox.paths import KERNEL_NAME

    learner = Learner.open()
    first = learner.open_challenge("alpha")
    assert first.created and first.state is ChallengeState.AVAILABLE
    assert first.notebook == notebook_path(home, first.challenge)
    assert first.notebook.read_bytes() == first.challenge.notebook.read_bytes()
    first.notebook.write_text('{"mine": true}')
    again = learner.open_challenge("alpha")
    assert not again.created and again.state is ChallengeState.IN_PROGRESS
    assert again.notebook.read_text() == '{"mine": true}', "never over the learner's work"
    assert kinds(home) == ["opened", "opened"]
    assert KERNEL_NAME in KernelSpecManager().find_kernel_specs()


def test_open_challenge_refuses_bad_ids(home: Path) -> None:
    with pytest.raises(UsageError):
        Learner.open().open_challenge("../etc")
    with pytest.raises(UnknownChallengeError):
        Learner.open().open_challenge("nope")
    assert not (home / "progress.json").exists()


def test_reset_one_challenge_backs_up_then_restores_the_starter(home: Path) -> None:
    learner = Learner.open()
    opened = learner.open_challenge("alpha")
    learner.open_challenge("beta")
    learner.store.append("verified", "alpha")
    opened.notebook.write_text('{"mine": true}')
    outcome = learner.reset(challenge_id="alpha")
    assert outcome.scope == "challenge" and [c.id for c in outcome.challenges] == ["alpha"]
    assert outcome.progress_backup is not None and outcome.progress_backup.is_file()
    (backup,) = outcome.notebook_backups
    assert backup.read_text() == '{"mine": true}'
    assert opened.notebook.read_bytes() == opened.challenge.notebook.read_bytes()
    assert learner.engine().xp == 0 and kinds(home)[-1] == "reset"


def test_reset_a_level_and_everything(home: Path) -> None:
    learner = Learner.open()
    for challenge_id in ("alpha", "gamma"):
        learner.open_challenge(challenge_id)
    level = learner.reset(level=1)
    assert level.scope == "level" and [c.id for c in level.challenges] == ["alpha", "beta"]
    assert len(level.notebook_backups) == 1  # beta was never opened: nothing to back up
    everything = learner.reset()
    assert everything.scope == "all" and len(everything.challenges) == 3
    assert len(everything.notebook_backups) == 2
    resets = [e for e in ProgressStore(home).load().events if e.kind == "reset"]
    assert [dict(e.details)["challenges"] for e in resets] == [["alpha", "beta"], None]


def test_reset_takes_one_target(home: Path) -> None:
    with pytest.raises(UsageError):
        Learner.open().reset(challenge_id="alpha", level=1)
    with pytest.raises(NotFoundError):
        Learner.open().reset(level=9)
    assert not (home / "progress.json").exists()
