"""Custom checks for capstone-churn-pipeline: every stage is checked on what it produced.

* The schema must accept the raw rows and reject each broken copy of them; the judge never runs
  a learner's schema, so the challenge's probe (``probes.py``) validates those tables where the
  answers are made and hands over what the schema reported.
* The feature table is compared with the reference, and ``feature_sql`` must reproduce it (its
  result on the raw rows is measured by a probe too: the judge runs no learner SQL).
* The Optuna study and the MLflow run are read from the learner's own stores
  (``ctx.stored_study``, ``ctx.tracking_client()``). The study is re-scored like the tuning
  challenge's (:mod:`sandbox.grading.stores`): its best trial and a random sample of the others
  are cross-validated here again, so trials added by hand (``add_trial``) with nothing trained,
  or an objective that scores the test rows, fail.
* The final model must be the tuned forest fitted on the training rows (a refit reproduces it),
  and the run's metric its test score.
* The final model is scored on the 500 customers the notebook never loads
  (``customer_id`` above :data:`LAST_TRAINING_ID`); the pass mark is the reference model's
  score minus :data:`SCORE_MARGIN`.

:data:`FEATURE_SQL` and ``DATA`` mirror the task's specification, to rebuild the test rows
(``ctx.split()``) and the held-out customers' features; if they ever drift from the reference
solution, the reference fails task 4 in ``sandbox dev check``.
"""

from __future__ import annotations

import math
from typing import Any

from sandbox import datasets
from sandbox.grading import CheckContext, DataSpec, Fail, stores
from sandbox.grading.compare import compare_frame, describe_type
from sandbox.grading.records import SchemaRecord, StudyRecord

LAST_TRAINING_ID = 2000
SCORE_MARGIN = 0.02
STUDY = "capstone-tuning"
EXPERIMENT = "capstone"
METRIC = "test_roc_auc"
MIN_TRIALS = 10
# Trials cross-validated again besides the best one: a sample, drawn afresh at every judgement.
RESCORED_TRIALS = 3
FEATURE_SQL = """
SELECT customer_id, age, tenure_months, monthly_charges,
       total_charges / tenure_months AS avg_monthly_billed,
       CASE contract WHEN 'month-to-month' THEN 1 WHEN 'one-year' THEN 12
                     WHEN 'two-year' THEN 24 END AS contract_months,
       CAST(payment_method = 'invoice' AS INTEGER) AS pays_by_invoice,
       autopay, support_calls_90d, avg_weekly_logins, days_since_last_login, churned
FROM validated
ORDER BY customer_id
"""


# ------------------------------------------------------------------------------------ data


def _run_sql(sql: str, frame: Any) -> Any:
    """The grader's own query (never a learner's) on ``frame`` as table ``validated``."""
    import duckdb

    con = duckdb.connect()
    try:
        con.register("validated", frame)
        return con.sql(sql).df()
    finally:
        con.close()


def _loaded_features(churn: Any) -> Any:
    """The feature table of the customers the notebook loads (``raw``), as the task builds it."""
    raw = churn[churn["customer_id"] <= LAST_TRAINING_ID].reset_index(drop=True)
    return _run_sql(FEATURE_SQL, raw)


DATA = DataSpec(
    dataset="churn",
    target="churned",
    drop=("customer_id",),
    prepare=_loaded_features,
    test_size=0.25,
    stratify=True,
    random_state=0,
)


def _held_out() -> tuple[Any, Any]:
    """Features and outcome of the customers the notebook never loads.

    Written by hand: DataSpec's ``holdout`` keeps every n-th customer, and these are the
    customers above an id instead.
    """
    churn = datasets.load("churn")
    held = churn[churn["customer_id"] > LAST_TRAINING_ID].reset_index(drop=True)
    features = _run_sql(FEATURE_SQL, held)
    return features.drop(columns=["customer_id", "churned"]), features["churned"]


# ------------------------------------------------------------------------------ task 1


def _probed(ctx: CheckContext, name: str) -> dict[str, Any]:
    probe = ctx.probe(name)
    if not isinstance(probe, dict):
        raise Fail(f"`{name}` could not be tried on the raw rows.")
    if "error" in probe:
        raise Fail(f"Trying `{name}` on the raw rows raised {probe['error']}")
    return probe


def check_schema(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    schema = answer["churn_schema"]
    if not (isinstance(schema, SchemaRecord) and schema.backend == "pandas"):
        raise Fail(
            f"`churn_schema` is {describe_type(schema)}; expected a `pandera.pandas` "
            "DataFrameSchema (`pa.DataFrameSchema({...})`)."
        )
    probe = _probed(ctx, "churn_schema")
    if not probe.get("validates"):
        raise Fail("`churn_schema` cannot validate a table: build it with `pa.DataFrameSchema`.")
    on_raw = probe.get("raw") or {}
    if "raised" in on_raw:
        raise Fail(f"Validating with `churn_schema` raised {on_raw['raised']}")
    if not on_raw.get("passed"):
        advice = (
            " That column may be missing in valid rows: allow it with `nullable=True`."
            if on_raw.get("first_check") == "not_nullable"
            else " Compare that rule (and the column's type) with `raw`."
        )
        raise Fail(
            f"`churn_schema` rejects the raw rows, which are all valid: "
            f"{on_raw.get('failures')} failure(s), the first in column "
            f"`{on_raw.get('first_column')}` (check `{on_raw.get('first_check')}`).{advice}"
        )
    missed = []
    for case in probe.get("broken", []):
        if "raised" in case:
            raise Fail(f"Validating with `churn_schema` raised {case['raised']}")
        if case.get("passed") or case.get("column") not in case.get("columns", []):
            missed.append(str(case.get("what")))
    if missed:
        shown = "; ".join(missed[:3])
        more = f" (and {len(missed) - 3} more)" if len(missed) > 3 else ""
        raise Fail(f"`churn_schema` accepts broken rows: {shown}{more}. Add the missing rules.")
    validated = answer["validated"]
    compare_frame("validated", validated, expected["validated"], {})


# ------------------------------------------------------------------------------ task 2


def check_features(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    features = answer["features"]
    compare_frame("features", features, expected["features"], {"check_column_order": True})
    sql = answer["feature_sql"]
    if not isinstance(sql, str):
        raise Fail(f"`feature_sql` is {describe_type(sql)}; expected the query as a string.")
    probe = _probed(ctx, "feature_sql")
    if "raised" in probe:
        raise Fail(
            f"`feature_sql` fails when run on the raw rows as table `validated`: {probe['raised']}"
        )
    try:
        compare_frame(
            "features", probe.get("table"), expected["features"], {"check_column_order": True}
        )
    except Fail:
        raise Fail(
            "`features` is right, but running `feature_sql` on `validated` gives another table: "
            "keep the query that produced `features` in `feature_sql`."
        ) from None


# ------------------------------------------------------------------------------ task 3


def _study(ctx: CheckContext) -> StudyRecord:
    study: StudyRecord | None = ctx.stored_study(STUDY)
    if study is None:
        raise Fail(
            f"Your Optuna storage has no study `{STUDY}`: create it with "
            f'`tuning.create_study("{STUDY}", seed=0)` and optimize it.'
        )
    return study


def _best_params(study: StudyRecord) -> dict[str, Any]:
    best = study.best_trial
    return dict(best.params) if best is not None else {}


def check_study(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    study = _study(ctx)
    if study.direction != "MAXIMIZE":
        raise Fail(
            f"Study `{STUDY}` minimizes its objective, but a higher ROC AUC is better: create "
            'it with `direction="maximize"` (the default of `tuning.create_study`).'
        )
    complete = study.complete_trials()
    if len(complete) < MIN_TRIALS:
        raise Fail(
            f"Study `{STUDY}` has {len(complete)} complete trial(s); run at least {MIN_TRIALS} "
            f"(`study.optimize(objective, n_trials={MIN_TRIALS})`)."
        )
    tuned = _best_params(study)
    wanted = {"max_depth", "min_samples_leaf", "max_features"}
    if not wanted <= set(tuned):
        missing = ", ".join(sorted(wanted - set(tuned)))
        raise Fail(f"Study `{STUDY}` does not tune {missing}: suggest every listed parameter.")
    _check_trial_values(study, ctx)
    best_params = answer["best_params"]
    if not isinstance(best_params, dict):
        raise Fail(f"`best_params` is {describe_type(best_params)}; expected `study.best_params`.")
    if best_params != tuned:
        raise Fail(
            f"`best_params` is not the best trial's parameters of study `{STUDY}`: "
            "store `study.best_params` after optimizing."
        )


def _forest(params: Any) -> Any:
    """The task's forest with a trial's parameters."""
    from sklearn.ensemble import RandomForestClassifier

    return RandomForestClassifier(n_estimators=50, random_state=0, n_jobs=1, **params)


def _cv_auc(params: Any, X: Any, y: Any) -> float:
    from sklearn.model_selection import cross_val_score

    return float(cross_val_score(_forest(params), X, y, cv=3, scoring="roc_auc").mean())


def _check_trial_values(study: StudyRecord, ctx: CheckContext) -> None:
    """The best trial and a sample of the others must hold the described objective's score."""
    import pandas as pd

    X_train, X_test, y_train, y_test = ctx.split()
    picked = stores.trials_to_rescore(study.complete_trials(), study.best_trial, RESCORED_TRIALS)
    off = stores.first_rescore_mismatch(picked, lambda params: _cv_auc(params, X_train, y_train))
    if off is None:
        return
    trial, told = off.trial, off.told
    which = f"Trial {trial.number} of study `{STUDY}`"
    if stores.same_score(told, _auc(_forest(trial.params).fit(X_train, y_train), X_test, y_test)):
        raise Fail(
            f"{which} holds {told:.4f}, the forest's ROC AUC on the test rows: the search must "
            "never see them (they are for the final score). Return the mean 3-fold "
            "cross-validated ROC AUC on the training rows, "
            '`cross_val_score(forest, X_train, y_train, cv=3, scoring="roc_auc").mean()`.'
        )
    X, y = pd.concat([X_train, X_test]), pd.concat([y_train, y_test])
    if stores.same_score(told, _cv_auc(trial.params, X, y)):
        raise Fail(
            f"{which} holds {told:.4f}, a cross-validation on every row, the test rows "
            "included: cross-validate on `X_train`, `y_train` only."
        )
    raise Fail(
        f"{which} holds {told:.4f}, but the described objective gives {off.recomputed:.4f} for "
        f"its parameters ({dict(trial.params)}): the mean 3-fold cross-validated ROC AUC of "
        "`RandomForestClassifier(n_estimators=50, random_state=0, n_jobs=1, ...)` on the "
        "training rows. Every trial's value must come from running the objective, never from "
        "your own hand (`add_trial` with a number of yours is not a search)."
    )


# ------------------------------------------------------------------------------ task 4


def _fitted_forest(model: Any) -> list[str]:
    from sklearn.base import is_classifier
    from sklearn.exceptions import NotFittedError
    from sklearn.utils.validation import check_is_fitted

    if not (hasattr(model, "fit") and hasattr(model, "predict_proba")):
        raise Fail(f"`model` is {describe_type(model)}; expected a fitted RandomForestClassifier.")
    try:
        check_is_fitted(model)
    except NotFittedError:
        raise Fail("`model` is not fitted yet: call `model.fit(X_train, y_train)`.") from None
    if not is_classifier(model):
        raise Fail("`model` is not a classifier, but churn is a yes/no outcome.")
    columns = getattr(model, "feature_names_in_", None)
    if columns is None:
        raise Fail("`model` was fitted on an array: fit it on the DataFrame `X_train`.")
    return [str(c) for c in columns]


def _auc(model: Any, X: Any, y: Any) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y, model.predict_proba(X[list(model.feature_names_in_)])[:, 1]))


def _run(run_id: Any, ctx: CheckContext) -> Any:
    """The run ``run_id`` of experiment capstone in the learner's store (its ``RunData``)."""
    from mlflow.exceptions import MlflowException

    from sandbox.integrations import tracking

    if not isinstance(run_id, str):
        raise Fail(
            f"`run_id` is {describe_type(run_id)}; expected the run's id, `run.info.run_id`."
        )
    if tracking.db_path(ctx.home).is_file():
        client = ctx.tracking_client()
        try:
            run = client.get_run(run_id)
        except MlflowException:
            run = None
        experiment = None if run is None else client.get_experiment(run.info.experiment_id)
        if experiment is not None and experiment.name == EXPERIMENT:
            forged = stores.not_made_by_mlflow(run, experiment)
            if forged:
                raise Fail(
                    f"`run_id` points at a run that MLflow did not create ({forged}): rows "
                    "written into `mlflow.db` by hand are not a run. Log it with "
                    "`mlflow.start_run()`."
                )
            return run.data
    raise Fail(
        f"Experiment `{EXPERIMENT}` of your MLflow store has no run with id {run_id!r}: call "
        f'`tracking.configure(experiment="{EXPERIMENT}")` before `mlflow.start_run()`, and '
        "store that run's `run.info.run_id`."
    )


def _same_param(logged: str, value: Any) -> bool:
    if logged == str(value):
        return True
    try:
        return math.isclose(float(logged), float(value), rel_tol=1e-9)
    except (TypeError, ValueError):
        return False


def _check_training_rows(model: Any, X_train: Any, X_test: Any, y_train: Any, y_test: Any) -> None:
    """A refit of ``model`` on the training rows must reproduce it."""
    import pandas as pd

    columns = list(model.feature_names_in_)
    X_train, X_test = X_train[columns], X_test[columns]
    if stores.refit_matches(model, X_train, y_train, X_test):
        return
    # Every row in the notebook's order (a forest's bootstrap depends on the row order).
    X, y = pd.concat([X_train, X_test]).sort_index(), pd.concat([y_train, y_test]).sort_index()
    rows = stores.fitted_on(
        model,
        {"every row, test rows included": (X, y), "the test rows": (X_test, y_test)},
        X_test,
    )
    where = f" It was fitted on {rows}." if rows else ""
    raise Fail(
        f"`model` is not the tuned forest fitted on the training rows.{where} Fit it with "
        "`model.fit(X_train, y_train)`: the test rows are for its final score only."
    )


def check_tracked(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    model = answer["model"]
    columns = _fitted_forest(model)
    X_train, X_test, y_train, y_test = ctx.split()
    if "days_since_cancellation_request" in columns:
        raise Fail("`model` reads the leak, `days_since_cancellation_request`: train on `X_train`.")
    if set(columns) != set(X_train.columns):
        raise Fail("`model` was not trained on the columns of `X_train`: fit it on `X_train`.")
    tuned = _best_params(_study(ctx))
    settings = model.get_params()
    off = [name for name, value in tuned.items() if settings.get(name) != value]
    if off:
        raise Fail(
            f"`model` was not trained with the tuned parameters: its {off[0]} is "
            f"{settings.get(off[0])!r}, the best trial's is {tuned[off[0]]!r}. Pass them with "
            "`RandomForestClassifier(..., **best_params)`."
        )
    fixed = {"n_estimators": 50, "random_state": 0}
    unlike = [name for name, value in fixed.items() if settings.get(name) != value]
    if unlike:
        raise Fail(
            f"`model` has {unlike[0]}={settings.get(unlike[0])!r}; the task's forest is "
            "`RandomForestClassifier(n_estimators=50, random_state=0, n_jobs=1, **best_params)`."
        )
    _check_training_rows(model, X_train, X_test, y_train, y_test)

    run_id = answer["run_id"]
    record = _run(run_id, ctx)
    unlogged = [name for name in tuned if name not in record.params]
    if unlogged:
        raise Fail(
            f"Run {run_id} did not log the tuned parameter(s) {', '.join(unlogged)}: "
            "`mlflow.log_params(best_params)` inside the run."
        )
    wrong = [name for name in tuned if not _same_param(record.params[name], tuned[name])]
    if wrong:
        name = wrong[0]
        raise Fail(
            f"Run {run_id} logged {name} = {record.params[name]}, but the best trial's "
            f"{name} is {tuned[name]}: log the tuned parameters."
        )
    if METRIC not in record.metrics:
        raise Fail(
            f"Run {run_id} has no metric `{METRIC}`: "
            f'`mlflow.log_metric("{METRIC}", score)` inside the run.'
        )
    logged = float(record.metrics[METRIC])
    test_auc = _auc(model, X_test, y_test)
    if not math.isclose(logged, test_auc, rel_tol=1e-6, abs_tol=1e-9):
        on_train = _auc(model, X_train, y_train)
        where = (
            "That is its score on the training rows, which it has already seen. "
            if math.isclose(logged, on_train, rel_tol=1e-6, abs_tol=1e-9)
            else ""
        )
        raise Fail(
            f"Run {run_id} logged {METRIC} = {logged:.4f}, but `model` scores "
            f"{test_auc:.4f} on the test rows. {where}Log the ROC AUC on the test rows."
        )
    X_held, y_held = _held_out()
    score = _auc(model, X_held, y_held)
    floor = _auc(expected["model"], X_held, y_held) - SCORE_MARGIN
    if score < floor:
        raise Fail(
            f"`model` scores a ROC AUC of {score:.3f} on the {len(y_held)} customers the grader "
            f"held back; it needs at least {floor:.3f}."
        )


# ------------------------------------------------------------------------------ task 5


def check_top(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    import numpy as np

    from sandbox.integrations import explain

    top = answer["top_features"]
    if isinstance(top, (str, bytes)) or not hasattr(top, "__iter__"):
        raise Fail(f"`top_features` is {describe_type(top)}; expected a list of 3 feature names.")
    top = [str(name) for name in top]
    if len(top) != len(expected["top_features"]):
        raise Fail(f"`top_features` has {len(top)} names; expected the top 3.")
    model = answer["model"]
    columns = _fitted_forest(model)
    X_train, X_test, y_train, y_test = ctx.split()
    if not set(columns) <= set(X_test.columns):
        raise Fail("`model` was not trained on the columns of `X_train`: finish task 4 first.")
    # The ranking is judged on the learner's own model, so that model must be this run's: a
    # forest carried over from other data would rank the features of other data.
    _check_training_rows(model, X_train, X_test, y_train, y_test)
    expl = explain.shap_explanation(model, X_test[columns])
    names = [str(n) for n in expl.feature_names]
    mean_abs = np.abs(expl.values).mean(axis=0)
    ranking = [names[i] for i in np.argsort(-mean_abs, kind="stable")]
    want = ranking[:3]
    if top == want:
        return
    signed = [names[i] for i in np.argsort(-expl.values.mean(axis=0), kind="stable")][:3]
    if top == signed:
        raise Fail(
            "`top_features` ranks by the mean of signed SHAP values, where pushes up and down "
            "cancel out: rank by the mean of absolute values, `np.abs(expl.values).mean(axis=0)`."
        )
    if set(top) == set(want):
        raise Fail("`top_features` has the right three features in the wrong order: largest first.")
    if top == ranking[::-1][:3]:
        raise Fail("`top_features` holds the least important features: sort largest first.")
    raise Fail(
        "`top_features` is not the top 3 of `model` by mean |SHAP| on `X_test` (churn class): "
        "explain the final model on the test rows."
    )
