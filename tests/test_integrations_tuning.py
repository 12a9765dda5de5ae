"""Optuna studies in a real sqlite storage under the test's data home."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sandbox.errors import UsageError
from sandbox.integrations import NotEnoughTrialsError, UnknownStudyError, tuning


def objective(trial: Any) -> float:
    """A cheap two-parameter objective with its best value at x=1, depth=3."""
    x = trial.suggest_float("x", -5.0, 5.0)
    depth = trial.suggest_int("depth", 1, 8)
    return float(-((x - 1.0) ** 2) - (depth - 3) ** 2)


def test_storage_url_is_absolute_and_under_the_home(home: Path) -> None:
    assert tuning.storage_url() == f"sqlite:///{home}/optuna.db"
    assert tuning.storage_url().startswith("sqlite:////")
    assert not home.exists()


def test_reading_an_empty_home_returns_nothing_and_creates_nothing(home: Path) -> None:
    assert tuning.list_studies() == []
    with pytest.raises(UnknownStudyError, match="no Optuna studies"):
        tuning.trials_frame("forest-depth")
    with pytest.raises(UnknownStudyError):
        tuning.history("forest-depth")
    assert not home.exists()


def test_two_studies_with_the_same_seed_run_the_same_trials(home: Path) -> None:
    # 14 trials: past TPE's 10 random start-up trials, so the model-based part is compared too.
    runs = {}
    for name, seed in (("first", 7), ("second", 7), ("other-seed", 8)):
        study = tuning.create_study(name, seed=seed)
        study.optimize(objective, n_trials=14)
        runs[name] = [(t.params, t.value) for t in study.trials]
    assert runs["first"] == runs["second"]
    assert runs["first"] != runs["other-seed"]
    assert (home / "optuna.db").is_file()


def test_listing_frames_and_charts_come_from_the_stored_study(home: Path) -> None:
    import optuna

    def sometimes_pruned(trial: Any) -> float:
        value = objective(trial)
        if trial.number == 2:
            raise optuna.TrialPruned()
        return value

    study = tuning.create_study("forest-depth", direction="maximize", seed=0)
    study.optimize(sometimes_pruned, n_trials=6)
    tuning.create_study("not-started", direction="minimize")

    infos = {info.name: info for info in tuning.list_studies()}
    assert list(infos) == ["forest-depth", "not-started"]
    info = infos["forest-depth"]
    assert (info.direction, info.n_trials, info.n_complete) == ("maximize", 6, 5)
    assert info.best_value == pytest.approx(study.best_value)
    assert dict(info.best_params) == study.best_params
    assert info.started is not None
    empty = infos["not-started"]
    assert (empty.direction, empty.n_trials, empty.best_value) == ("minimize", 0, None)

    frame = tuning.trials_frame("forest-depth")
    assert len(frame) == 6
    assert {"number", "value", "state", "params_x", "params_depth"} <= set(frame.columns)
    assert (frame["state"] == "COMPLETE").sum() == 5

    complete = frame[frame["state"] == "COMPLETE"]
    history = tuning.history("forest-depth")
    assert [p.trial for p in history] == list(complete["number"]), "completed trials only"
    assert [p.value for p in history] == pytest.approx(list(complete["value"]))
    assert [p.best for p in history] == pytest.approx(list(complete["value"].cummax()))
    importances = tuning.param_importances("forest-depth")
    assert set(importances) == {"x", "depth"}
    assert sum(importances.values()) == pytest.approx(1.0)
    assert list(importances.values()) == sorted(importances.values(), reverse=True)
    assert importances == tuning.param_importances("forest-depth"), "seeded: the same shares"

    with pytest.raises(NotEnoughTrialsError, match="no completed trial"):
        tuning.history("not-started")
    with pytest.raises(UnknownStudyError, match="forest-depth"):
        tuning.trials_frame("typo")


def test_importance_needs_two_trials_sharing_two_parameters(home: Path) -> None:
    one_trial = tuning.create_study("one-trial")
    one_trial.optimize(objective, n_trials=1)
    with pytest.raises(NotEnoughTrialsError, match="1 completed trial"):
        tuning.param_importances("one-trial")

    one_param = tuning.create_study("one-param")
    one_param.optimize(lambda t: t.suggest_float("x", 0.0, 1.0), n_trials=3)
    with pytest.raises(NotEnoughTrialsError, match="1 shared parameter"):
        tuning.param_importances("one-param")


def test_a_minimised_study_keeps_its_lowest_value_as_the_best(home: Path) -> None:
    study = tuning.create_study("loss", direction="minimize", seed=0)
    study.optimize(lambda t: -objective(t), n_trials=8)
    values = [t.value for t in study.trials]
    best = [p.best for p in tuning.history("loss")]
    assert best == pytest.approx([min(values[: i + 1]) for i in range(len(values))])
    assert best[-1] == pytest.approx(study.best_value)


def test_reopening_keeps_trials_and_refuses_the_opposite_direction(home: Path) -> None:
    tuning.create_study("kept", seed=0).optimize(objective, n_trials=3)
    assert len(tuning.create_study("kept", seed=0).trials) == 3
    assert len(tuning.load_study("kept").trials) == 3
    with pytest.raises(UsageError, match="maximize"):
        tuning.create_study("kept", direction="minimize")
    with pytest.raises(UsageError):
        tuning.create_study("")
