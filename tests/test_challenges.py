"""Every challenge proves its grader, and every notebook matches its starter.py.

This is `sandbox dev check` over the whole catalogue: each challenge's starter is
NOT_ATTEMPTED, its reference solution passes clean verification on two data variants, each
wrong or fabricated answer FAILs the task it targets with the words its author promised, each
alternative PASSes, and the shipped data's answers typed in FAIL on fresh data.
"""

from __future__ import annotations

import re

import pytest

from sandbox.catalogue import load_catalogue
from sandbox.grading import seeds
from sandbox.grading.authoring import notebook_text, starter_source
from sandbox.grading.devcheck import MIN_HINTS, MIN_WRONG_ANSWERS, check_challenge
from sandbox.paths import repo_root

CATALOGUE = load_catalogue(repo_root())
IDS = [c.id for c in CATALOGUE]
# The proofs of higher levels run longest (model training, MLflow, Optuna): they start first,
# so the test workers finish together instead of one waiting on a long proof started last.
LONGEST_FIRST = sorted(IDS, key=lambda i: -CATALOGUE.get(i).level)


@pytest.mark.slow
@pytest.mark.kernel
@pytest.mark.timeout(1200)  # per challenge: a stuck one fails alone and stops its kernels
@pytest.mark.parametrize("challenge_id", LONGEST_FIRST)
def test_challenge_proves_its_grader(challenge_id: str) -> None:
    challenge = CATALOGUE.get(challenge_id)
    report = check_challenge(challenge)
    assert report.ok, "\n".join(report.problems)
    proofs = [challenge.wrong_dir, challenge.fabricated_dir, challenge.alternatives_dir]
    # starter and reference; on fresh data also the reference on another variant and the
    # shipped answers typed in
    runs = 2 + (2 if seeds.varies(challenge) else 0)
    assert report.runs == runs + sum(len(list(folder.glob("*.py"))) for folder in proofs)


@pytest.mark.parametrize("challenge_id", IDS)
def test_challenge_meets_the_content_standard(challenge_id: str) -> None:
    challenge = CATALOGUE.get(challenge_id)
    assert 2 <= len(challenge.tasks) <= 5
    assert all(len([h for h in t.hints if h.strip()]) >= MIN_HINTS for t in challenge.tasks)
    assert len(list(challenge.wrong_dir.glob("*.py"))) >= MIN_WRONG_ANSWERS
    assert challenge.tags and challenge.minutes > 0
    # Prompts appear alone on the dashboard: they cannot lean on the notebook around them.
    for task in challenge.tasks:
        leaning = re.search(r"as described|(table|cell|code|text) above|shown above", task.prompt)
        assert leaning is None, f"{task.id}'s prompt says {leaning.group(0)!r}: say it in full"


@pytest.mark.parametrize("challenge_id", IDS)
def test_notebook_is_built_from_its_starter(challenge_id: str) -> None:
    challenge = CATALOGUE.get(challenge_id)
    assert starter_source(challenge).is_file(), "write the starter as starter.py"
    assert challenge.notebook.read_text(encoding="utf-8") == notebook_text(challenge), (
        f"{challenge.notebook} differs from its starter.py: run `sandbox dev build {challenge_id}`"
    )
