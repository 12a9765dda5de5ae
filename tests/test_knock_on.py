"""A later task that fails only because an earlier one was wrong says so.

A real judge (its expected values computed by the reference in its own process) judges answers
of split-and-leakage produced in this process: a split that is not stratified (task 2) feeds a
scaler and a model that are right for it. Tasks 3 and 4 name task 2 as the cause, in a whole
judgement and in an inline check of one task, which judges task 2 on demand.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from pathlib import Path
from typing import Any

import pytest

from sandbox.catalogue import Challenge, load_catalogue
from sandbox.grading.export import export_namespace, task_variables
from sandbox.grading.judge import Judge
from sandbox.grading.outcome import PLACEHOLDER, Outcome
from sandbox.grading.reference import (
    CHECK_TAG,
    TAG_SUBMIT,
    cell_tags,
    notebook_with_answers,
    parse_sections,
)
from sandbox.paths import repo_root

NOT_STRATIFIED = (
    "X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=42)\n"
)


def _challenge() -> Challenge:
    return load_catalogue(repo_root()).get("split-and-leakage")


def _answers(challenge: Challenge, changes: dict[str, str]) -> dict[str, Any]:
    """The notebook's namespace with the solution's task cells, some replaced by ``changes``."""
    sections = {**parse_sections(challenge.solution_file), **changes}
    from sandbox import datasets

    # The binding cell is skipped (it binds inline checks); it only imports `datasets`.
    namespace: dict[str, Any] = {
        "____": PLACEHOLDER,
        "display": lambda *a, **k: None,
        "datasets": datasets,
    }
    with (
        warnings.catch_warnings(),
        contextlib.redirect_stdout(io.StringIO()),
        contextlib.redirect_stderr(io.StringIO()),
    ):
        warnings.simplefilter("ignore")
        for cell in notebook_with_answers(challenge, sections).cells:
            tags = cell_tags(cell)
            if cell.cell_type != "code" or TAG_SUBMIT in tags:
                continue
            if any(t.startswith(CHECK_TAG) for t in tags) or "sandbox:binding" in tags:
                continue
            exec(cell.source, namespace)
    return namespace


@pytest.fixture(scope="module")
def judge(tmp_path_factory: pytest.TempPathFactory) -> Judge:
    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SANDBOX_HOME", str(home))
        return Judge(_challenge(), home)


@pytest.fixture(scope="module")
def unstratified() -> dict[str, Any]:
    return _answers(_challenge(), {"q2": NOT_STRATIFIED})


def test_tasks_built_on_a_failed_task_name_it(
    judge: Judge, unstratified: dict[str, Any], tmp_path: Path
) -> None:
    export_namespace(judge.challenge, unstratified, tmp_path)
    verdicts = {r.task: r for r in judge.judge(tmp_path)}
    assert verdicts["q1"].outcome is Outcome.PASS
    assert verdicts["q2"].outcome is Outcome.FAIL and "stratify" in verdicts["q2"].message
    for task in ("q3", "q4"):
        assert verdicts[task].outcome is Outcome.FAIL
        assert "task 2, which failed" in verdicts[task].message, verdicts[task].message


def test_an_inline_check_judges_the_earlier_task_it_builds_on(
    judge: Judge, unstratified: dict[str, Any], tmp_path: Path
) -> None:
    export_namespace(judge.challenge, unstratified, tmp_path)
    (only_q4,) = judge.judge(tmp_path, ["q4"])
    assert only_q4.outcome is Outcome.FAIL
    assert "task 2, which failed" in only_q4.message


def test_without_the_earlier_answers_an_inline_check_blames_nothing_it_cannot_see(
    judge: Judge, unstratified: dict[str, Any], tmp_path: Path
) -> None:
    names = task_variables(judge.challenge, ["q3"])
    export_namespace(judge.challenge, unstratified, tmp_path, names)
    (only_q3,) = judge.judge(tmp_path, ["q3"])
    assert only_q3.outcome is Outcome.FAIL
    assert "which failed" not in only_q3.message
    assert "task 2" in only_q3.message  # it still points at the rows task 2 makes


def test_a_right_answer_built_on_right_answers_passes(judge: Judge, tmp_path: Path) -> None:
    export_namespace(judge.challenge, _answers(judge.challenge, {}), tmp_path)
    assert all(r.outcome is Outcome.PASS for r in judge.judge(tmp_path))
