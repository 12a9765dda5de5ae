"""Provenance checks: a model is proven by what it is, the rows it learned from, what it scores.

Real scikit-learn estimators on the real churn data: a model fitted where the prompt says
passes; one fitted on all rows, the test rows or the rows the grader keeps fails and is named
as such; a RandomForest where a LogisticRegression is asked fails; a typed-in metric fails.
The level-5 challenges prove the same with real kernels in ``test_challenges.py``.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from sandbox.catalogue import Challenge, load_catalogue
from sandbox.errors import CatalogueError
from sandbox.grading import CheckContext, DataSpec, Fail, provenance
from sandbox.grading.provenance import Rows
from sandbox.paths import repo_root

NUMERIC = [
    "age",
    "autopay",
    "tenure_months",
    "monthly_charges",
    "total_charges",
    "support_calls_90d",
    "avg_weekly_logins",
    "days_since_last_login",
]
CATEGORICAL = ["region", "plan", "contract", "payment_method"]


def _challenge() -> Challenge:
    return load_catalogue(repo_root()).get("pipelines-column-transformer")


def _ctx(spec: DataSpec, seed: int | None = 11) -> CheckContext:
    challenge = _challenge()
    return CheckContext(
        challenge, challenge.tasks[2], Path("."), None, None, spec, {}, unseen_seed=seed
    )  # type: ignore[arg-type]


def _pipeline() -> Pipeline:
    return Pipeline(
        [
            (
                "preprocess",
                ColumnTransformer(
                    [
                        ("num", StandardScaler(), NUMERIC),
                        ("cat", OneHotEncoder(handle_unknown="ignore"), CATEGORICAL),
                    ]
                ),
            ),
            ("classifier", LogisticRegression(max_iter=1000)),
        ]
    )


def _fit(model: Any, X: Any, y: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(X, y)


LEGACY = DataSpec(dataset="churn", target="churned", holdout=("customer_id", 5))
UNSEEN = DataSpec(dataset="churn", target="churned", unseen_rows=800)


# ----------------------------------------------------------------------------- what it is


def test_parse_estimator_reads_a_call_and_never_runs_it() -> None:
    model = provenance.parse_estimator("LogisticRegression(max_iter=1000)")
    assert isinstance(model, LogisticRegression) and model.max_iter == 1000
    assert provenance.describe_estimator(model) == "LogisticRegression(max_iter=1000)"
    for bad in ("LogisticRegression(1000)", "__import__('os')", "LogisticRegression(C=f())"):
        with pytest.raises(ValueError):
            provenance.parse_estimator(bad)
    with pytest.raises(ValueError, match="not a scikit-learn estimator"):
        provenance.parse_estimator("NoSuchModel()")


def test_a_random_forest_where_a_logistic_regression_is_asked_fails() -> None:
    with pytest.raises(Fail, match=r"RandomForestClassifier.*LogisticRegression\(max_iter=1000\)"):
        provenance.require_estimator(
            "model", RandomForestClassifier(), "LogisticRegression(max_iter=1000)"
        )
    pipeline = Pipeline([("scale", StandardScaler()), ("rf", RandomForestClassifier())])
    with pytest.raises(Fail, match="at the end of its Pipeline"):
        provenance.require_estimator("model", pipeline, "LogisticRegression(max_iter=1000)")


def test_parameters_the_prompt_names_are_required_and_harmless_ones_free() -> None:
    asked = "LogisticRegression(max_iter=1000)"
    with pytest.raises(Fail, match="max_iter=100"):
        provenance.require_estimator("model", LogisticRegression(), asked)
    with pytest.raises(Fail, match=r"C=0\.5"):
        provenance.require_estimator("model", LogisticRegression(max_iter=1000, C=0.5), asked)
    provenance.require_estimator("model", LogisticRegression(max_iter=1000, n_jobs=2), asked)
    provenance.require_estimator("model", _pipeline(), asked)


def test_a_parameter_that_cannot_change_the_fit_is_accepted_given_the_rows() -> None:
    ctx = _ctx(UNSEEN)
    split = ctx.split()
    rows = Rows("`X_train`, `y_train`", split.X_train[NUMERIC], split.y_train)
    asked = "LogisticRegression(max_iter=1000)"
    same_fits = [
        LogisticRegression(max_iter=1000, random_state=42),  # lbfgs draws nothing
        LogisticRegression(max_iter=5000),  # converges long before either limit
        LogisticRegression(max_iter=1000, penalty="l2"),  # the old spelling of the default
    ]
    spelled_out = LogisticRegression(max_iter=1000, solver="lbfgs", tol=1e-4)  # the defaults
    provenance.require_estimator("model", spelled_out, asked)
    for model in same_fits:
        with pytest.raises(Fail):
            provenance.require_estimator("model", model, asked)  # without rows: by name only
        provenance.require_estimator("model", model, asked, rows=rows)
    with pytest.raises(Fail, match=r"C=0\.1"):
        provenance.require_estimator(
            "model", LogisticRegression(max_iter=1000, C=0.1), asked, rows=rows
        )
    forest = "RandomForestClassifier(n_estimators=10, random_state=0)"
    with pytest.raises(Fail, match="no `random_state`"):
        provenance.require_estimator(
            "model", RandomForestClassifier(n_estimators=10), forest, rows=rows
        )


def test_a_randomised_model_needs_the_prompts_seed() -> None:
    asked = "RandomForestClassifier(random_state=0)"
    with pytest.raises(Fail, match="no `random_state`"):
        provenance.require_estimator("model", RandomForestClassifier(), asked)
    with pytest.raises(Fail, match="random_state=1"):
        provenance.require_estimator("model", RandomForestClassifier(random_state=1), asked)
    provenance.require_estimator("model", RandomForestClassifier(random_state=0), asked)


def test_an_unfitted_model_fails() -> None:
    with pytest.raises(Fail, match="not fitted yet: call"):
        provenance.require_fitted("model", _pipeline(), "call `model.fit(X_train, y_train)`")


# ------------------------------------------------------------------ which rows it learned


def test_a_model_fitted_on_the_training_rows_passes() -> None:
    ctx = _ctx(UNSEEN)
    split = ctx.split()
    ctx.require_fitted_on("model", _fit(_pipeline(), split.X_train, split.y_train))
    # The same fit through another API (column lists in another order, make_* helpers) too.
    reordered = Pipeline(
        [
            (
                "prep",
                ColumnTransformer(
                    [
                        ("cat", OneHotEncoder(handle_unknown="ignore"), sorted(CATEGORICAL)),
                        ("num", StandardScaler(), sorted(NUMERIC)),
                    ]
                ),
            ),
            ("lr", LogisticRegression(max_iter=1000)),
        ]
    )
    ctx.require_fitted_on("model", _fit(reordered, split.X_train, split.y_train))


@pytest.mark.parametrize(
    ("rows", "named"),
    [
        pytest.param("all", "all 2,000 rows, test rows included", id="all-rows"),
        pytest.param("test", "the 500 test rows", id="test-rows"),
        pytest.param("held-out", "the 500 held-out rows the grader keeps", id="held-out-rows"),
        pytest.param("everything", "all 2,500 rows of `churn`", id="whole-file"),
    ],
)
def test_a_model_fitted_on_other_rows_is_named_by_the_rows_it_saw(rows: str, named: str) -> None:
    import pandas as pd

    ctx = _ctx(LEGACY)
    split = ctx.split()
    X, y = ctx.learner_rows()
    X_kept, y_kept = ctx.holdout()
    fitted_on = {
        "all": (X, y),
        "test": (split.X_test, split.y_test),
        "held-out": (X_kept, y_kept),
        "everything": (pd.concat([X, X_kept]), pd.concat([y, y_kept])),
    }[rows]
    model = _fit(_pipeline(), *fitted_on)
    with pytest.raises(Fail, match=f"looks fitted on {named}"):
        ctx.require_fitted_on("model", model)


def test_a_pipeline_whose_scaler_learned_from_other_rows_is_caught() -> None:
    ctx = _ctx(UNSEEN)
    split = ctx.split()
    X, _ = ctx.learner_rows()
    model = _fit(_pipeline(), split.X_train, split.y_train)
    # The scaler re-learned from every row after the fit: the predictions barely move, but the
    # step's numbers show it.
    scaler = model.named_steps["preprocess"].named_transformers_["num"]
    scaler.fit(X[NUMERIC])
    with pytest.raises(Fail, match=r"step `preprocess › num` inside `model` learned"):
        provenance.require_fitted_on(
            "model",
            model,
            Rows("`X_train`, `y_train`", split.X_train, split.y_train),
            [],
            on=split.X_train,
            tolerance=1.0,  # predictions alone would let it through
        )


def test_a_model_changed_after_fitting_fails_with_the_size_of_the_change() -> None:
    ctx = _ctx(UNSEEN)
    split = ctx.split()
    model = _fit(LinearRegression(), split.X_train[NUMERIC], split.y_train)
    model.coef_ = model.coef_ * 1.5
    prescribed = Rows("`X_train`, `y_train`", split.X_train[NUMERIC], split.y_train)
    with pytest.raises(Fail, match="does not predict like a model fitted on `X_train`"):
        provenance.require_fitted_on("model", model, prescribed)


def test_a_model_that_cannot_read_the_judges_rows_says_which_column_it_misses() -> None:
    ctx = _ctx(UNSEEN)
    split = ctx.split()
    leak = "days_since_cancellation_request"
    model = Pipeline(
        [
            ("prep", ColumnTransformer([("num", "passthrough", [leak, "age"])])),
            ("lr", LogisticRegression()),
        ]
    )
    _fit(model, split.X_train.fillna(0), split.y_train)
    with pytest.raises(Fail, match=leak):
        ctx.require_fitted_on("model", model, on=ctx.holdout()[0].drop(columns=[leak]))


# -------------------------------------------------------------------------- what it scores


def test_a_reported_metric_must_be_the_models_own() -> None:
    provenance.require_metric("accuracy", 0.7952, 0.7952, "`model.score(X_test, y_test)`")
    with pytest.raises(Fail, match=r"rounded copy of 0\.7952.*typed in"):
        provenance.require_metric("accuracy", 0.8, 0.7952, "`model.score(X_test, y_test)`")
    with pytest.raises(Fail, match="training rows"):
        provenance.require_metric(
            "accuracy",
            0.81,
            0.7952,
            "`model.score(X_test, y_test)`",
            slips=[(lambda: 0.81, "the accuracy on the training rows")],
        )
    with pytest.raises(Fail, match=r"gives 0\.7952: compute it"):
        provenance.require_metric("accuracy", 0.9, 0.7952, "`model.score(X_test, y_test)`")
    with pytest.raises(Fail, match="expected a number"):
        provenance.require_metric("accuracy", "0.8", 0.7952, "`model.score(X_test, y_test)`")


# ----------------------------------------------------------------------- manifest options


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize(
    ("new", "message"),
    [
        pytest.param(
            'check = { kind = "value", builds_on = ["q2"] }',
            "check.builds_on': 'q2' is not an earlier task",
            id="builds-on-a-later-task",
        ),
        pytest.param(
            'check = { kind = "estimator", estimator = "LogisticRegression(1000)" }',
            "check.estimator'",
            id="estimator-not-a-call",
        ),
        pytest.param(
            'check = { kind = "estimator", fitted_on = "everything" }',
            "check.fitted_on': 'everything' is not one of train",
            id="fitted-on-unknown-rows",
        ),
    ],
)
def test_manifest_options_of_provenance_are_checked(
    fixture_content: Path, new: str, message: str
) -> None:
    manifest = fixture_content / "challenges/level_1/alpha/challenge.toml"
    text = manifest.read_text()
    second = text.index('check = { kind = "value" }', text.index('check = { kind = "value" }') + 1)
    manifest.write_text(text[:second] + new + text[second + len('check = { kind = "value" }') :])
    with pytest.raises(CatalogueError, match=message):
        load_catalogue(fixture_content)


def test_builds_on_an_earlier_task_loads(fixture_content: Path) -> None:
    manifest = fixture_content / "challenges/level_1/alpha/challenge.toml"
    text = manifest.read_text()
    second = text.index('check = { kind = "value" }', text.index('check = { kind = "value" }') + 1)
    manifest.write_text(
        text[:second]
        + 'check = { kind = "value", builds_on = ["q1"] }'
        + text[second + len('check = { kind = "value" }') :]
    )
    task = load_catalogue(fixture_content).get("alpha").tasks[1]
    assert task.check.options["builds_on"] == ("q1",)
