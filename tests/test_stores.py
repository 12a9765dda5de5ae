"""Store-backed checks (sandbox.grading.stores) on real sqlite MLflow and Optuna stores."""

from __future__ import annotations

import sqlite3
import sys
import time
import uuid
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from sandbox.catalogue import default_catalogue
from sandbox.grading import stores
from sandbox.grading.context import CheckContext
from sandbox.grading.models import stored_study
from sandbox.grading.outcome import Fail
from sandbox.integrations import tracking, tuning


@pytest.fixture(autouse=True)
def _fresh_mlflow_state(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """MLflow keeps the tracking URI and autolog in module globals; reset them."""
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    monkeypatch.delenv("MLFLOW_REGISTRY_URI", raising=False)
    yield
    if "mlflow" in sys.modules:
        import mlflow

        mlflow.sklearn.autolog(disable=True)
        mlflow.set_tracking_uri(None)  # type: ignore[arg-type]
        mlflow.set_registry_uri(None)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def biopsies() -> tuple[Any, Any, Any, Any]:
    """A small split of the breast cancer data (shipped with scikit-learn)."""
    from sklearn.model_selection import train_test_split

    from sandbox import datasets

    cancer = datasets.load("breast_cancer")
    X, y = cancer.drop(columns="target"), cancer["target"]
    return tuple(train_test_split(X, y, test_size=0.25, random_state=0, stratify=y))  # type: ignore[return-value]


def _context(home: Path) -> CheckContext:
    """A CheckContext on ``home``: the store helpers use only its data home."""
    challenge = default_catalogue().get("mlflow-tracking")
    return CheckContext(challenge, challenge.tasks[0], home, None, None)  # type: ignore[arg-type]


def _client(home: Path) -> Any:
    import mlflow

    uri = tracking.tracking_uri(home)
    return mlflow.MlflowClient(tracking_uri=uri, registry_uri=uri)


def _insert_run(home: Path, experiment_id: str, artifact_uri: str = "") -> str:
    """A run written into mlflow.db with sqlite3, as a learner could, with one metric."""
    run_id = uuid.uuid4().hex
    now = int(time.time() * 1000)
    with sqlite3.connect(tracking.db_path(home)) as db:
        db.execute(
            "INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name,"
            " user_id, status, start_time, end_time, source_version, lifecycle_stage,"
            " artifact_uri, experiment_id) VALUES (?, 'by-hand', 'LOCAL', '', '', 'me',"
            " 'FINISHED', ?, ?, '', 'active', ?, ?)",
            (run_id, now, now + 10, artifact_uri, int(experiment_id)),
        )
        for table in ("metrics", "latest_metrics"):
            db.execute(
                f"INSERT INTO {table} (key, value, timestamp, run_uuid, step, is_nan)"
                " VALUES ('roc_auc', 0.9, ?, ?, 0, 0)",
                (now, run_id),
            )
    return run_id


# -------------------------------------------------------------------------------- mlflow


def test_runs_made_through_mlflow_pass_and_rows_typed_into_the_store_do_not(home: Path) -> None:
    import mlflow

    tracking.configure(experiment="made")
    with mlflow.start_run() as fluent:
        mlflow.log_metric("roc_auc", 0.9)
    client = _client(home)
    experiment = client.get_experiment_by_name("made")
    created = client.create_run(experiment.experiment_id)
    client.set_terminated(created.info.run_id)

    for run_id in (fluent.info.run_id, created.info.run_id):
        assert stores.not_made_by_mlflow(client.get_run(run_id), experiment) is None

    inserted = client.get_run(_insert_run(home, experiment.experiment_id))
    assert inserted.data.metrics == {"roc_auc": 0.9}  # MLflow reads it like any run
    reason = stores.not_made_by_mlflow(inserted, experiment)
    assert reason is not None and "mlflow.runName" in reason

    # The forger adds the name tag; the artifact folder still gives the run away.
    with sqlite3.connect(tracking.db_path(home)) as db:
        db.execute(
            "INSERT INTO tags (key, value, run_uuid) VALUES ('mlflow.runName', 'by-hand', ?)",
            (inserted.info.run_id,),
        )
    reason = stores.not_made_by_mlflow(client.get_run(inserted.info.run_id), experiment)
    assert reason is not None and "artifact folder" in reason


def test_a_run_s_model_is_loaded_and_rescored_and_a_run_without_one_fails(
    home: Path, biopsies: tuple[Any, Any, Any, Any]
) -> None:
    import mlflow
    from sklearn.linear_model import LogisticRegression

    X_train, X_test, y_train, y_test = biopsies
    fitted = LogisticRegression(max_iter=5000).fit(X_train, y_train)
    tracking.configure(experiment="models")
    with mlflow.start_run() as logged:
        mlflow.log_metric("roc_auc", stores.score(fitted, X_test, y_test))
        mlflow.sklearn.log_model(fitted, name="model", pip_requirements=["scikit-learn"])
    with mlflow.start_run() as bare:
        mlflow.log_metric("roc_auc", stores.score(fitted, X_test, y_test))  # a copied number
    client, ctx = _client(home), _context(home)

    run = client.get_run(logged.info.run_id)
    model = stores.run_model(ctx, client, run, "The run")
    assert model is not fitted and stores.same_predictions(model, fitted, X_test)
    assert stores.same_score(stores.score(model, X_test, y_test), run.data.metrics["roc_auc"])
    assert not stores.same_score(stores.score(model, X_train, y_train), run.data.metrics["roc_auc"])

    with pytest.raises(Fail, match="has no logged model"):
        stores.run_model(ctx, client, client.get_run(bare.info.run_id), "The run")


@pytest.mark.slow
def test_autolog_leaves_records_that_parameters_typed_in_lack(
    home: Path, biopsies: tuple[Any, Any, Any, Any]
) -> None:
    import mlflow
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression

    X_train, _, y_train, _ = biopsies
    tracking.configure(experiment="autolog")
    with warnings.catch_warnings():
        # MLflow 3.17's autolog passes scikit-learn 1.9 an argument it renamed.
        warnings.simplefilter("ignore", FutureWarning)
        mlflow.sklearn.autolog(log_models=False, log_datasets=False)
        with mlflow.start_run() as recorded:
            RandomForestClassifier(n_estimators=10, max_depth=3, random_state=0).fit(
                X_train, y_train
            )
        mlflow.sklearn.autolog(disable=True)
    with mlflow.start_run() as typed:
        unfitted = RandomForestClassifier(n_estimators=10, max_depth=3, random_state=0)
        mlflow.log_params(unfitted.get_params())
        mlflow.set_tags({"estimator_name": "RandomForestClassifier"})
        mlflow.log_metrics({"training_roc_auc": 0.99, "training_accuracy_score": 0.97})
    client = _client(home)
    recorded_run, typed_run = (client.get_run(r.info.run_id) for r in (recorded, typed))

    assert stores.missing_autolog_records(client, recorded_run, RandomForestClassifier) == []
    missing = stores.missing_autolog_records(client, typed_run, RandomForestClassifier)
    assert "the `estimator_class` tag" in missing
    assert "the `training_confusion_matrix.png` artifact" in missing
    assert "a fit of LogisticRegression" in " ".join(
        stores.missing_autolog_records(client, recorded_run, LogisticRegression)
    )

    # The judge's own fit reproduces autolog's training metrics, not typed-in ones.
    refit = RandomForestClassifier(n_estimators=10, max_depth=3, random_state=0)
    refit.fit(X_train, y_train)
    assert stores.autolog_metric_mismatch(recorded_run, refit, X_train, y_train) is None
    found = stores.autolog_metric_mismatch(typed_run, refit, X_train, y_train)
    assert found is not None and "training_accuracy_score" in found


# -------------------------------------------------------------------------------- optuna


def _objective(params: Mapping[str, Any], X: Any, y: Any) -> float:
    """A small real objective: the cross-validated accuracy of a decision tree."""
    from sklearn.model_selection import cross_val_score
    from sklearn.tree import DecisionTreeClassifier

    model = DecisionTreeClassifier(max_depth=params["max_depth"], random_state=0)
    return float(cross_val_score(model, X, y, cv=3).mean())


def _study_with(name: str, made_up: Mapping[int, float], X: Any, y: Any, n: int = 6) -> Any:
    """A stored study asked from a seeded sampler; the trials in ``made_up`` are told its
    values instead of the objective's."""
    study = tuning.create_study(name, seed=0)
    for number in range(n):
        trial = study.ask()
        depth = trial.suggest_int("max_depth", 1, 8)
        study.tell(trial, made_up.get(number, _objective({"max_depth": depth}, X, y)))
    return stored_study(tuning.db_path().parent, name)


def test_rescoring_finds_made_up_values_whichever_trials_hold_them(
    home: Path, biopsies: tuple[Any, Any, Any, Any]
) -> None:
    X, _, y, _ = biopsies
    X, y = X.iloc[:150], y.iloc[:150]

    def objective(params: Mapping[str, Any]) -> float:
        return _objective(params, X, y)

    genuine = _study_with("genuine", {}, X, y)
    for _ in range(3):  # any draw
        picked = stores.trials_to_rescore(genuine.complete_trials(), genuine.best_trial, 2)
        assert len(picked) == 3 and picked[0] == genuine.best_trial
        assert stores.first_rescore_mismatch(picked, objective) is None

    # The best trial holds its real score and every other trial a made-up, lower one: the
    # best alone passes re-scoring, and any sample of the others finds the made-up values.
    told = _study_with("told", {n: 0.5 for n in range(1, 6)}, X, y)
    best = told.best_trial
    assert best is not None and best.number == 0
    assert stores.first_rescore_mismatch([best], objective) is None
    for _ in range(3):
        picked = stores.trials_to_rescore(told.complete_trials(), best, 1)
        off = stores.first_rescore_mismatch(picked, objective)
        assert off is not None and off.trial.number != 0
        assert off.told == 0.5 and off.recomputed > 0.5


def test_reported_steps_are_rescored_step_by_step(home: Path) -> None:
    study = tuning.create_study("steps", seed=0)

    def steps(params: Mapping[str, Any], n: int) -> list[float]:
        return [params["x"] * (step + 1) for step in range(n)]

    for number in range(3):
        trial = study.ask()
        x = trial.suggest_float("x", 0.0, 1.0)
        for step in range(3):
            value = x * (step + 1)
            trial.report(value + (0.5 if number == 2 and step == 1 else 0.0), step)
        study.tell(trial, x * 3)
    stored = stored_study(home, "steps")
    assert stored is not None
    assert stores.first_step_mismatch(stored.trials[:2], steps) is None
    off = stores.first_step_mismatch(stored.trials, steps)
    assert off is not None and (off.trial.number, off.step) == (2, 1)


# -------------------------------------------------------------------------------- models


def test_the_rows_a_model_was_fitted_on_are_named(biopsies: tuple[Any, Any, Any, Any]) -> None:
    import pandas as pd
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression

    X_train, X_test, y_train, y_test = biopsies
    X, y = pd.concat([X_train, X_test]), pd.concat([y_train, y_test])
    candidates = {"the training rows": (X_train, y_train), "every row": (X, y)}
    leaky = LogisticRegression(max_iter=5000).fit(X, y)
    honest = LogisticRegression(max_iter=5000).fit(X_train, y_train)
    assert stores.fitted_on(leaky, candidates, X_test) == "every row"
    assert stores.fitted_on(honest, candidates, X_test) == "the training rows"
    assert stores.fitted_on(honest, {"the test rows": (X_test, y_test)}, X_test) is None

    forest = RandomForestClassifier(n_estimators=5, random_state=0).fit(X_train, y_train)
    shuffled = X_train.sample(frac=1.0, random_state=1)
    reordered = RandomForestClassifier(n_estimators=5, random_state=0)
    reordered.fit(shuffled, y_train.loc[shuffled.index])
    assert not stores.same_predictions(forest, reordered, X_test)  # other bootstrap draws...
    assert stores.forest_training_rows(reordered) == len(X_train)  # ...from as many rows
    assert stores.forest_training_rows(forest) == len(X_train)
    assert stores.forest_training_rows(honest) is None


# -------------------------------------------------------------------------------- explanations


def test_any_valid_shap_explanation_agrees_and_others_do_not(
    biopsies: tuple[Any, Any, Any, Any],
) -> None:
    import numpy as np
    import pandas as pd
    from sklearn.ensemble import RandomForestClassifier

    from sandbox.integrations import explain

    X_train, X_test, y_train, _ = biopsies
    rows = X_test.iloc[:15]
    forest = RandomForestClassifier(n_estimators=20, max_depth=4, random_state=0)
    forest.fit(X_train, y_train)
    exact = explain.shap_explanation(forest, rows, class_index=0)
    other_class = explain.shap_explanation(forest, rows, class_index=1)
    import shap  # imported by the helper above, which silences its import-time warnings

    def p_malignant(data: Any) -> Any:
        return forest.predict_proba(pd.DataFrame(data, columns=X_train.columns))[:, 0]

    masker = shap.maskers.Independent(X_train, max_samples=20)
    permutation = shap.explainers.Permutation(p_malignant, masker, seed=0)(rows, silent=True)
    permutation.feature_names = list(rows.columns)
    made_up = shap.Explanation(
        values=np.tile(forest.feature_importances_, (len(rows), 1)),
        base_values=exact.base_values,
        feature_names=list(rows.columns),
    )

    assert stores.shap_agreement(exact, exact) == "same"
    assert stores.shap_agreement(other_class, exact) == "opposite"
    assert stores.shap_agreement(permutation, exact) == "valid"
    assert stores.shap_agreement(made_up, exact) == "other"
    # Columns in another order are read by their names.
    reordered = shap.Explanation(
        values=exact.values[:, ::-1],
        base_values=exact.base_values,
        feature_names=list(rows.columns)[::-1],
    )
    assert stores.shap_agreement(reordered, exact) == "same"
