"""Held-out rows the learner cannot load: drawn by the judge's own process, found nowhere else."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sandbox import datasets
from sandbox.catalogue import load_catalogue
from sandbox.errors import DatasetError, UsageError
from sandbox.grading import CheckContext, DataSpec
from sandbox.paths import repo_root


def _ctx(spec: DataSpec, seed: int | None = None) -> CheckContext:
    challenge = load_catalogue(repo_root()).get("pipelines-column-transformer")
    return CheckContext(
        challenge, challenge.tasks[2], Path("."), None, None, spec, {}, unseen_seed=seed
    )  # type: ignore[arg-type]


def _features(frame: object) -> set[tuple[object, ...]]:
    columns = [c for c in frame.columns if c != "customer_id"]  # type: ignore[attr-defined]
    return set(frame[columns].astype(str).itertuples(index=False, name=None))  # type: ignore[index]


def test_unseen_rows_follow_the_shipped_data_but_are_other_customers() -> None:
    shipped = datasets.load("churn")
    drawn = datasets.unseen_rows("churn", seed=7, n=1_000)
    assert list(drawn.columns) == list(shipped.columns)
    assert drawn.dtypes.equals(shipped.dtypes)
    assert drawn["customer_id"].min() == datasets.UNSEEN_FIRST_ID
    assert drawn["customer_id"].is_unique
    assert not _features(drawn) & _features(shipped)
    # The same process: similar churn share, the leak only for churners.
    assert abs(drawn["churned"].mean() - shipped["churned"].mean()) < 0.05
    assert drawn["days_since_cancellation_request"].notna().eq(drawn["churned"] == 1).all()


def test_the_same_seed_draws_the_same_rows_and_another_seed_others() -> None:
    first = datasets.unseen_rows("churn", seed=7, n=300)
    assert first.equals(datasets.unseen_rows("churn", seed=7, n=300))
    assert not _features(first) & _features(datasets.unseen_rows("churn", seed=8, n=300))


def test_the_shipped_file_is_still_its_generators_bytes() -> None:
    assert datasets.generate("churn") == datasets.path("churn").read_bytes()


def test_only_a_dataset_with_a_generator_draws_unseen_rows() -> None:
    with pytest.raises(DatasetError, match="cannot draw unseen rows"):
        datasets.unseen_rows("diabetes", seed=1, n=10)
    with pytest.raises(UsageError, match="at least 1"):
        datasets.unseen_rows("churn", seed=1, n=0)


def test_the_judges_held_out_rows_are_in_no_loadable_dataset() -> None:
    X, y = _ctx(DataSpec(dataset="churn", target="churned", unseen_rows=500)).holdout()
    assert len(X) == 500 and len(y) == 500
    held_out = _features(X.assign(churned=y))
    for name in datasets.names():
        frame = datasets.load(name)
        if set(X.columns) <= set(frame.columns):
            assert not held_out & _features(frame[[*X.columns, "churned"]]), name


def test_holdout_is_stable_within_a_judge_process_and_new_in_another() -> None:
    spec = DataSpec(dataset="churn", target="churned", unseen_rows=200)
    once = _ctx(spec).holdout()[0]
    assert once.equals(_ctx(spec).holdout()[0])  # every check of one judgement sees the same
    assert _ctx(spec, seed=3).holdout()[0].equals(_ctx(spec, seed=3).holdout()[0])
    script = (
        "from pathlib import Path\n"
        "from sandbox.catalogue import default_catalogue\n"
        "from sandbox.grading import CheckContext, DataSpec\n"
        "c = default_catalogue().get('pipelines-column-transformer')\n"
        "spec = DataSpec(dataset='churn', target='churned', unseen_rows=200)\n"
        "X, _ = CheckContext(c, c.tasks[2], Path('.'), None, None, spec).holdout()\n"
        "print(X.drop(columns='customer_id').to_csv(index=False))\n"
    )
    drawn = [
        subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True
        ).stdout
        for _ in range(2)
    ]
    assert drawn[0] != drawn[1]  # each process (each judge) draws its own customers


def test_the_legacy_holdout_keeps_working_and_unseen_rows_take_over_holdout() -> None:
    legacy = DataSpec(dataset="churn", target="churned", holdout=("customer_id", 5))
    X_kept, _ = _ctx(legacy).holdout()
    assert (X_kept["customer_id"] % 5 == 0).all() and len(X_kept) == 500
    X_learner, _ = _ctx(legacy).learner_rows()
    assert len(X_learner) == 2_000 and not (X_learner["customer_id"] % 5 == 0).any()

    both = DataSpec(dataset="churn", target="churned", holdout=("customer_id", 5), unseen_rows=300)
    X_unseen, _ = _ctx(both).holdout()
    assert len(X_unseen) == 300 and X_unseen["customer_id"].min() >= datasets.UNSEEN_FIRST_ID
    assert len(_ctx(both).learner_rows()[0]) == 2_000  # the split is unchanged
    assert len(_ctx(both).split().X_train) == len(_ctx(legacy).split().X_train)


def test_a_check_can_draw_the_judges_rows_itself_and_features_match_the_learners() -> None:
    raw = _ctx(DataSpec(dataset="churn", target="churned"), seed=5).unseen_rows(100, "churn")
    assert raw.equals(datasets.unseen_rows("churn", seed=5, n=100))
    with pytest.raises(RuntimeError, match="how many unseen rows"):
        _ctx(DataSpec(dataset="churn", target="churned")).unseen_rows()
    encoded = DataSpec(
        dataset="churn",
        target="churned",
        drop=("customer_id", "days_since_cancellation_request"),
        dummies=True,
        unseen_rows=50,  # few rows: some categories may be missing from them
    )
    X_unseen, _ = _ctx(encoded, seed=5).holdout()
    assert list(X_unseen.columns) == list(_ctx(encoded).learner_rows()[0].columns)
