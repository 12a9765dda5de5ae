"""Clean verification runs on fresh data: a seeded variant of every dataset a notebook reads.

Real kernels, the real catalogue (pandas-first-look reads the retail customers), real caches.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import nbformat
import pytest
from typer.testing import CliRunner

from sandbox import workspace
from sandbox.cli import app
from sandbox.grading import seeds
from sandbox.grading.devcheck import typed_in_answers
from sandbox.grading.expected import cache_key, cache_root, ensure_expected
from sandbox.grading.reference import notebook_with_answers, parse_sections
from sandbox.grading.verify import verify
from sandbox.learner import Learner
from sandbox.progress import ProgressStore

CHALLENGE = "pandas-first-look"
runner = CliRunner()


def test_the_seed_pool_is_stable_per_home_and_challenge(home: Path, tmp_path: Path) -> None:
    pool = seeds.pool(home, CHALLENGE)
    assert len(pool) == seeds.POOL_SIZE and len(set(pool)) == seeds.POOL_SIZE
    assert all(0 <= s < seeds.SEED_BOUND for s in pool)
    assert seeds.pool(home, CHALLENGE) == pool  # nothing stored: derived from the home's key
    assert seeds.pool(home, "groupby-aggregate") != pool
    assert seeds.pool(tmp_path / "other-home", CHALLENGE) != pool
    challenge = Learner.open().catalogue.get(CHALLENGE)
    assert seeds.pick(home, challenge) in pool


def test_challenges_without_data_or_about_the_shipped_files_keep_them(home: Path) -> None:
    challenge = Learner.open().catalogue.get(CHALLENGE)
    assert challenge.datasets and seeds.varies(challenge)
    no_data = dataclasses.replace(challenge, datasets=())
    fixed = dataclasses.replace(challenge, fixed_data="the task counts the shipped file's rows")
    assert seeds.pick(home, no_data) is None and seeds.pick(home, fixed) is None


def test_expected_values_are_cached_per_variant(home: Path) -> None:
    challenge = Learner.open().catalogue.get(CHALLENGE)
    shipped = ensure_expected(challenge, home)
    variant = ensure_expected(challenge, home, 7)
    assert shipped.folder.name == cache_key(challenge)
    assert variant.folder.name == f"{cache_key(challenge)}-7"
    assert shipped.folder.is_dir() and variant.folder.is_dir()  # neither removes the other
    assert not ensure_expected(challenge, home, 7).computed
    assert sorted(p.name for p in (cache_root(home) / CHALLENGE).iterdir()) == sorted(
        [shipped.folder.name, variant.folder.name]
    )


@pytest.mark.kernel
def test_computed_answers_pass_on_fresh_data_and_typed_in_ones_fail(home: Path) -> None:
    learner = Learner.open()
    challenge = learner.catalogue.get(CHALLENGE)
    path, _ = workspace.prepare(home, challenge)

    # Typed in: every answer copied from the shipped data. Each task fails and says why.
    copied = notebook_with_answers(challenge, typed_in_answers(challenge, home))
    nbformat.write(copied, str(path))
    result = verify(learner, CHALLENGE, seed=11)
    assert not result.passed and result.seed == 11 and result.xp_awarded == 0
    assert all(t.outcome.value == "FAIL" for t in result.tasks), result.tasks
    assert any("looks typed in" in t.message for t in result.tasks), result.tasks

    # Computed: the reference's code passes on a variant of the pool and earns the XP.
    solved = notebook_with_answers(challenge, parse_sections(challenge.solution_file))
    nbformat.write(solved, str(path))
    result = verify(learner, CHALLENGE)
    assert result.passed and result.seed in seeds.pool(home, CHALLENGE)
    # The same XP as on the shipped data: the challenge's XP and the no-help bonus.
    bonus = learner.catalogue.no_help_bonus_percent
    assert result.xp_awarded == challenge.xp + round(challenge.xp * bonus / 100) > challenge.xp
    events = ProgressStore(home).load().events
    verified = [e for e in events if e.kind == "verified"]
    assert len(verified) == 1 and verified[0].details["seed"] == result.seed
    checked = [e for e in events if e.kind == "checked" and e.details.get("source") == "verify"]
    assert [e.details["seed"] for e in checked] == [11, result.seed]

    # `sandbox check --seed` reruns a chosen variant and shows it.
    done = runner.invoke(app, ["check", CHALLENGE, "--seed", "11", "--json"])
    assert done.exit_code == 0, done.stdout
    assert json.loads(done.stdout)["seed"] == 11
    done = runner.invoke(app, ["check", CHALLENGE, "--seed", "11"])
    assert done.exit_code == 0 and "fresh data (variant 11; `--seed 11` repeats it)" in done.stdout


def test_a_grader_record_in_a_notebook_is_named_as_copied(tmp_path: Path) -> None:
    from sandbox.grading.artifacts import Artifacts
    from sandbox.grading.compare import describe_type
    from sandbox.grading.export import export_namespace
    from sandbox.grading.records import StudyRecord

    # What a notebook holds after reading a study from saved answers, exported as a kernel does.
    copied = StudyRecord("optuna.study.study.Study", study_name="rf-tuning")
    challenge = Learner.open().catalogue.get(CHALLENGE)
    task = dataclasses.replace(challenge.tasks[0], variables=("study",))
    export_namespace(dataclasses.replace(challenge, tasks=(task,)), {"study": copied}, tmp_path)
    described = describe_type(Artifacts(tmp_path).get("study"))
    assert "copy of a result saved by the grader (StudyRecord)" in described
    assert "typed in" in described
    assert describe_type(1.5) == "a float"
