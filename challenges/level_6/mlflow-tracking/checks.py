"""Custom checks for mlflow-tracking: runs are read from the learner's own tracking store.

The learner stores run ids and a model URI; each check opens the MLflow store of the learner's
data home (``ctx.tracking_client()``), finds what those ids point at and looks at what was really
logged. Expected scores are never typed in: the checks rebuild the notebook's train/test split of
the churn data (``DATA``, through ``ctx.split()``) and fit the forest each task describes, so a
logged ``roc_auc`` is compared with the test score it should be, and a training score or a
score of 0/1 labels is recognised as such.

What only real work leaves behind is required too (:mod:`sandbox.grading.stores`): a run made
through MLflow (not rows typed into ``mlflow.db``); for task 2 the logged model itself, loaded
from its skops file without unpickling anything, which must be the task's forest fitted on the
training rows and reproduce the run's metric; for task 3 autolog's own records (its tags, the
estimator page and training plots) and training metrics that the judge's fit reproduces, which
parameters typed in by hand do not have.
"""

from __future__ import annotations

import math
from typing import Any

from sandbox.grading import CheckContext, DataSpec, Fail, stores
from sandbox.grading.compare import describe_type
from sandbox.grading.context import Split

EXPERIMENT = "churn"
# Logged metrics are stored as doubles, so a correct one matches to the last digits.
TOLERANCE = 1e-9

# The notebook's split: every column but the id, the target and the leaky column, one-hot
# encoded, then a stratified quarter for testing.
DATA = DataSpec(
    dataset="churn",
    target="churned",
    drop=("customer_id", "days_since_cancellation_request"),
    dummies=True,
    test_size=0.25,
    stratify=True,
    random_state=0,
)


def _forest(split: Split, max_depth: int) -> Any:
    """The forest a task describes, trained as the task says."""
    from sklearn.ensemble import RandomForestClassifier

    model = RandomForestClassifier(n_estimators=100, max_depth=max_depth, random_state=0)
    return model.fit(split.X_train, split.y_train)


def _client(ctx: CheckContext) -> Any:
    from sandbox.integrations import tracking

    if not tracking.db_path(ctx.home).is_file():
        raise Fail(
            'Your data home has no MLflow store yet: call `tracking.configure(experiment="churn")` '
            "before `mlflow.start_run()`."
        )
    return ctx.tracking_client()


def _churn_run(client: Any, run_id: Any, name: str) -> Any:
    """The finished run ``run_id`` of experiment churn in the learner's store, or Fail."""
    from mlflow.exceptions import MlflowException

    if not isinstance(run_id, str):
        raise Fail(
            f"`{name}` is {describe_type(run_id)}; expected the run's id, a string: "
            "`run.info.run_id`."
        )
    try:
        run = client.get_run(run_id)
    except MlflowException:
        raise Fail(
            f"`{name}` ({run_id!r}) is not a run in the tracking store of your data home: an id "
            "copied from an earlier session looks typed in rather than computed. Store "
            "`run.info.run_id` of the run this notebook logs after `tracking.configure(...)`."
        ) from None
    experiment = client.get_experiment(run.info.experiment_id)
    if experiment.name != EXPERIMENT:
        raise Fail(
            f"`{name}` is a run of experiment {experiment.name!r}, not {EXPERIMENT!r}: call "
            f'`tracking.configure(experiment="{EXPERIMENT}")` before `mlflow.start_run()`.'
        )
    forged = stores.not_made_by_mlflow(run, experiment)
    if forged:
        raise Fail(
            f"`{name}` points at a run that MLflow did not create ({forged}): rows written "
            "into `mlflow.db` by hand are not a run. Log it with `mlflow.start_run()`."
        )
    if run.info.status != "FINISHED":
        raise Fail(
            f"`{name}` is a run whose status is {run.info.status}, not FINISHED: log inside "
            "`with mlflow.start_run() as run:` so the run is closed at the end of the block."
        )
    return run


def _check_params(run: Any, name: str, wanted: dict[str, int]) -> None:
    params = run.data.params
    for key, value in wanted.items():
        if key not in params:
            raise Fail(
                f"The run of `{name}` has no parameter `{key}`: log it with "
                f"`mlflow.log_param({key!r}, ...)` or `mlflow.log_params({{...}})`."
            )
        if params[key] != str(value):
            raise Fail(
                f"The run of `{name}` logged {key} = {params[key]!r}, but the task's forest has "
                f"{key}={value}."
            )


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=TOLERANCE, abs_tol=TOLERANCE)


def _judge_roc_auc(run: Any, name: str, model: Any, what: str, split: Split) -> None:
    """The run's ``roc_auc`` must be ``model``'s ROC AUC of probabilities on the test rows."""
    from sklearn.metrics import roc_auc_score

    metrics = run.data.metrics
    if "roc_auc" not in metrics:
        logged = ", ".join(f"`{m}`" for m in sorted(metrics)) or "none"
        raise Fail(
            f"The run of `{name}` has no metric `roc_auc` (metrics logged: {logged}): log it with "
            '`mlflow.log_metric("roc_auc", ...)`.'
        )
    value = float(metrics["roc_auc"])
    X_train, X_test, y_train, y_test = split
    test = float(roc_auc_score(y_test, model.predict_proba(X_test)[:, 1]))
    if _close(value, test):
        return
    if _close(value, float(roc_auc_score(y_train, model.predict_proba(X_train)[:, 1]))):
        raise Fail(
            f"The run of `{name}` logged roc_auc = {value:.4f}, the score on the training rows. "
            "The model learned those rows, so that score flatters it: log the ROC AUC on "
            "`X_test`, `y_test`."
        )
    if _close(value, float(roc_auc_score(y_test, model.predict(X_test)))):
        raise Fail(
            f"The run of `{name}` logged roc_auc = {value:.4f}, computed from `predict`'s 0/1 "
            "labels. ROC AUC ranks the customers by risk: use the probabilities, "
            "`model.predict_proba(X_test)[:, 1]`."
        )
    direction = "too high" if value > test else "too low"
    raise Fail(
        f"The run of `{name}` logged roc_auc = {value:.4f}, which is {direction} for the test "
        f"ROC AUC of {what}. Score `model.predict_proba(X_test)[:, 1]` against `y_test`."
    )


def check_first_run(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    client = _client(ctx)
    run = _churn_run(client, answer["first_run_id"], "first_run_id")
    _check_params(run, "first_run_id", {"n_estimators": 100, "max_depth": 4})
    split = ctx.split()
    _judge_roc_auc(run, "first_run_id", _forest(split, 4), "that forest", split)


def check_logged_model(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    from mlflow.exceptions import MlflowException
    from sklearn.ensemble import RandomForestClassifier

    uri = answer["model_uri"]
    if not isinstance(uri, str):
        raise Fail(
            f"`model_uri` is {describe_type(uri)}; expected the text `models:/m-…`: the "
            "`model_uri` of the ModelInfo that `mlflow.sklearn.log_model` returns."
        )
    if uri.startswith("runs:/"):
        raise Fail(
            "`model_uri` points into a run (`runs:/…`), the MLflow 2 way. In MLflow 3 a logged "
            "model has an id of its own: store the `model_uri` of the ModelInfo that "
            "`mlflow.sklearn.log_model` returns (`models:/m-…`)."
        )
    model_id = uri.removeprefix("models:/")
    if not uri.startswith("models:/m-") or "/" in model_id:
        raise Fail(
            f"`model_uri` is {uri!r}; expected the URI of a logged model, `models:/m-…` "
            "(the `model_uri` of what `mlflow.sklearn.log_model` returns)."
        )
    client = _client(ctx)
    try:
        logged = client.get_logged_model(model_id)
    except MlflowException:
        raise Fail(
            f"There is no logged model {model_id!r} in the tracking store of your data home: "
            "log it after `tracking.configure(...)` and store its `model_uri`."
        ) from None
    if not logged.source_run_id:
        raise Fail(
            "The model behind `model_uri` was logged outside any run, so it is linked to no "
            "parameters and no metrics: call `mlflow.sklearn.log_model(...)` inside the "
            "`with mlflow.start_run():` block."
        )
    run = _churn_run(client, logged.source_run_id, "model_uri")
    _check_params(run, "model_uri", {"n_estimators": 100, "max_depth": 8})
    model = ctx.load_logged_model(model_id, "The model behind `model_uri`")
    if not isinstance(model, RandomForestClassifier) or model.max_depth != 8:
        raise Fail(
            f"The model behind `model_uri` is {describe_type(model)}"
            f"{f' with max_depth={model.max_depth}' if hasattr(model, 'max_depth') else ''}; "
            "expected the task's forest, `RandomForestClassifier(n_estimators=100, max_depth=8, "
            "random_state=0)`."
        )
    split = ctx.split()
    _check_trained_on_training_rows(model, split)
    _judge_roc_auc(run, "model_uri", model, "the model you logged", split)


def _check_trained_on_training_rows(model: Any, split: Split) -> None:
    """The logged model must be the task's forest fitted on the training rows, nothing else."""
    import pandas as pd

    if stores.same_predictions(model, _forest(split, 8), split.X_test):
        return
    X = pd.concat([split.X_train, split.X_test])
    y = pd.concat([split.y_train, split.y_test])
    rows = stores.fitted_on(
        model,
        {"every row, test rows included": (X, y), "the test rows": (split.X_test, split.y_test)},
        split.X_test,
    )
    if rows is not None:
        raise Fail(
            f"The model behind `model_uri` was fitted on {rows}, so its test score measures "
            "rows it has seen: fit it on `X_train`, `y_train` only."
        )
    raise Fail(
        "The model behind `model_uri` predicts differently from the task's forest, "
        "`RandomForestClassifier(n_estimators=100, max_depth=8, random_state=0)` fitted on "
        "`X_train`, `y_train`: log the model you trained that way."
    )


def check_autolog_run(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    from sklearn.ensemble import RandomForestClassifier

    client = _client(ctx)
    run = _churn_run(client, answer["autolog_run_id"], "autolog_run_id")
    if "training_roc_auc" not in run.data.metrics or "min_samples_leaf" not in run.data.params:
        raise Fail(
            "The run of `autolog_run_id` has none of autolog's records (no `training_roc_auc` "
            "metric, no `min_samples_leaf` parameter): call "
            "`mlflow.sklearn.autolog(log_models=False, log_datasets=False)` before `.fit(...)`. "
            "Autolog records fits as they happen, not models that already exist."
        )
    missing = stores.missing_autolog_records(client, run, RandomForestClassifier)
    if missing:
        raise Fail(
            "The run of `autolog_run_id` has autolog's parameters and metrics but not what "
            f"autolog leaves when it records a fit ({', '.join(missing)}): numbers typed in by "
            "hand are not autolog's. Turn on `mlflow.sklearn.autolog(log_models=False, "
            "log_datasets=False)` before `.fit(...)` and fit inside the run."
        )
    _check_params(run, "autolog_run_id", {"n_estimators": 100, "max_depth": 6})
    if "roc_auc" not in run.data.metrics:
        raise Fail(
            "The run of `autolog_run_id` has autolog's training metrics but no `roc_auc`: "
            "autolog only scores the training rows, so log the test ROC AUC yourself with "
            '`mlflow.log_metric("roc_auc", ...)` inside the run.'
        )
    split = ctx.split()
    forest = _forest(split, 6)
    off = stores.autolog_metric_mismatch(run, forest, split.X_train, split.y_train)
    if off:
        raise Fail(
            f"The run of `autolog_run_id` does not hold autolog's record of the task's forest: "
            f"{off}. Autolog scores the forest on the rows it was fitted on: fit "
            "`RandomForestClassifier(n_estimators=100, max_depth=6, random_state=0)` on "
            "`X_train`, `y_train` inside the run, with autolog on."
        )
    _judge_roc_auc(run, "autolog_run_id", forest, "that forest", split)
