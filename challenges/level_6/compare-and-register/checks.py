"""Custom checks for compare-and-register: runs, models and the registry of the learner's store.

Every check opens the MLflow store of the learner's data home (``ctx.tracking_client()``) and
looks at what the stored ids point at; logged models are loaded from their skops files with the
judge's trusted types (``ctx.load_logged_model``), never unpickled. "Best" is decided there
too: the best run is the one with the highest ``roc_auc`` among *all* runs of ``churn-sweep`` in
the learner's store (re-running the notebook adds identical runs, so ties are expected and
accepted). The leaderboard's bar is the median ``roc_auc`` of those same runs, computed here from
the store, so it follows whatever data the sweep was trained on. Logged scores are compared with the
logged models' own scores on the notebook's test rows, rebuilt here from the churn data, so a
score on the training rows is recognised without any typed-in number. ``version`` and
``champion`` arrive as data: the ModelVersion as a record of its attributes (looked up again in
the learner's registry), the loaded model as the scikit-learn forest it is.

Only what real work leaves counts (:mod:`sandbox.grading.stores`): every sweep run must be made
by MLflow and log the task's forest fitted on the training rows (a model fitted on every row
reproduces its own inflated score, so the score alone cannot tell); the best run must carry a
logged model that reproduces its ``roc_auc`` (a run with a copied score and no model is not a
result); the registered version must hold a model that the best run logged.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

from sandbox.grading import CheckContext, DataSpec, Fail, stores
from sandbox.grading.compare import describe_type
from sandbox.grading.context import Split
from sandbox.grading.records import ObjectRecord, UntrustedEstimator

EXPERIMENT = "churn-sweep"
MODEL_NAME = "churn-classifier"
ALIAS = "champion"
DEPTHS = [2, 4, 6, 8, 10, 12]
TOLERANCE = 1e-9
# A run this close to the median is on the bar: in or out of the leaderboard, both are accepted
# (the learner's median may come from another summing order than the judge's).
ON_THE_BAR = 1e-12
MAX_RESULTS = 50_000  # MLflow's own ceiling for one search

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


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=TOLERANCE, abs_tol=TOLERANCE)


def _client(ctx: CheckContext) -> Any:
    from sandbox.integrations import tracking

    if not tracking.db_path(ctx.home).is_file():
        raise Fail(
            "Your data home has no MLflow store yet: call "
            f'`tracking.configure(experiment="{EXPERIMENT}")` before logging the sweep.'
        )
    return ctx.tracking_client()


def _sweep_experiment(client: Any) -> Any:
    experiment = client.get_experiment_by_name(EXPERIMENT)
    if experiment is None:
        raise Fail(
            f"Your store has no experiment {EXPERIMENT!r}: call "
            f'`tracking.configure(experiment="{EXPERIMENT}")` before the sweep.'
        )
    return experiment


def _sweep_run(client: Any, run_id: Any, name: str) -> Any:
    """The finished run ``run_id`` of churn-sweep in the learner's store, or Fail."""
    from mlflow.exceptions import MlflowException

    if not isinstance(run_id, str):
        raise Fail(
            f"`{name}` is {describe_type(run_id)}; expected a run id, a string such as "
            "`run.info.run_id`."
        )
    try:
        run = client.get_run(run_id)
    except MlflowException:
        # Verification reruns the notebook, so every id it stores names a run that rerun logged:
        # an id from no run of this store was copied from another session.
        raise Fail(
            f"`{name}` ({run_id!r}) is not a run in the tracking store of your data home: an id "
            "copied from an earlier session looks typed in rather than computed. Store "
            "`run.info.run_id` of the run this notebook logs."
        ) from None
    experiment = client.get_experiment(run.info.experiment_id)
    if experiment.name != EXPERIMENT:
        raise Fail(
            f"`{name}` is a run of experiment {experiment.name!r}, not {EXPERIMENT!r}: call "
            f'`tracking.configure(experiment="{EXPERIMENT}")` before the sweep.'
        )
    if run.info.lifecycle_stage == "deleted":
        raise Fail(
            f"`{name}` is a run that was deleted (the notebook deletes the old sweep when it "
            "starts): run the task's cell again after that cell."
        )
    forged = stores.not_made_by_mlflow(run, experiment)
    if forged:
        raise Fail(
            f"`{name}` points at a run that MLflow did not create ({forged}): rows written "
            "into `mlflow.db` by hand are not a run."
        )
    if run.info.status != "FINISHED":
        raise Fail(
            f"`{name}` is a run whose status is {run.info.status}: log inside "
            "`with mlflow.start_run() as run:` so each run is closed at the end of its block."
        )
    return run


def _sweep_runs(client: Any) -> list[Any]:
    experiment = _sweep_experiment(client)
    return list(
        client.search_runs(experiment_ids=[experiment.experiment_id], max_results=MAX_RESULTS)
    )


def _best_score(client: Any) -> float:
    scores = [r.data.metrics["roc_auc"] for r in _sweep_runs(client) if "roc_auc" in r.data.metrics]
    if not scores:
        raise Fail(f"No run of {EXPERIMENT!r} has a `roc_auc` metric yet: finish task 1 first.")
    return max(scores)


def _median_score(runs: list[Any]) -> float:
    """The bar of the leaderboard: the median ``roc_auc`` of the sweep's runs."""
    import statistics

    scores = [float(r.data.metrics["roc_auc"]) for r in runs if "roc_auc" in r.data.metrics]
    if not scores:
        raise Fail(f"No run of {EXPERIMENT!r} has a `roc_auc` metric yet: finish task 1 first.")
    return statistics.median(scores)


def _run_label(run: Any) -> str:
    depth = run.data.params.get("max_depth", "?")
    score = run.data.metrics.get("roc_auc")
    return f"the run with max_depth={depth}" + (
        f" (roc_auc {score:.4f})" if score is not None else ""
    )


def check_sweep(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    from sklearn.metrics import roc_auc_score

    ids = answer["sweep_run_ids"]
    if not isinstance(ids, (list, tuple)):
        raise Fail(
            f"`sweep_run_ids` is {describe_type(ids)}; expected a list of the {len(DEPTHS)} run "
            "ids, one per depth: append `run.info.run_id` after each run."
        )
    if len(ids) != len(DEPTHS):
        raise Fail(
            f"`sweep_run_ids` has {len(ids)} run ids; expected {len(DEPTHS)}, one per depth in "
            "`DEPTHS`."
        )
    client = _client(ctx)
    experiment = _sweep_experiment(client)
    split = ctx.split()
    X_train, X_test, y_train, y_test = split
    for position, (run_id, depth) in enumerate(zip(ids, DEPTHS, strict=True)):
        name = f"sweep_run_ids[{position}]"
        run = _sweep_run(client, run_id, name)
        logged_depth = run.data.params.get("max_depth")
        if logged_depth is None:
            raise Fail(f"The run `{name}` has no parameter `max_depth`: log it in every run.")
        if logged_depth != str(depth):
            raise Fail(
                f"The run `{name}` logged max_depth = {logged_depth!r}; the runs should follow "
                f"`DEPTHS`, so this one is max_depth={depth}."
            )
        models = client.search_logged_models(
            experiment_ids=[experiment.experiment_id],
            filter_string=f"source_run_id = '{run_id}'",
        )
        if not models:
            raise Fail(
                f"The run `{name}` (max_depth={depth}) has no logged model: call "
                '`mlflow.sklearn.log_model(model, name="model", ...)` inside each run.'
            )
        if "roc_auc" not in run.data.metrics:
            raise Fail(
                f"The run `{name}` (max_depth={depth}) has no metric `roc_auc`: log it in "
                "every run."
            )
        model = ctx.load_logged_model(models[0].model_id, f"The model logged by the run `{name}`")
        if getattr(model, "max_depth", None) != depth:
            raise Fail(
                f"The model logged by the run `{name}` is {describe_type(model)} with "
                f"max_depth={getattr(model, 'max_depth', None)}; the run logged max_depth={depth}. "
                "Log the model you trained in that run."
            )
        _check_sweep_model(model, name, depth, split)
        value = float(run.data.metrics["roc_auc"])
        test = float(roc_auc_score(y_test, model.predict_proba(X_test)[:, 1]))
        if _close(value, test):
            continue
        if _close(value, float(roc_auc_score(y_train, model.predict_proba(X_train)[:, 1]))):
            raise Fail(
                f"The run `{name}` (max_depth={depth}) logged roc_auc = {value:.4f}, its score on "
                "the training rows. Deeper trees memorise more of those rows, so a sweep scored "
                "there always crowns the deepest forest: log the ROC AUC on `X_test`, `y_test`."
            )
        raise Fail(
            f"The run `{name}` (max_depth={depth}) logged roc_auc = {value:.4f}, which is "
            f"{'too high' if value > test else 'too low'} for the test ROC AUC of the model it "
            "logged. Score `model.predict_proba(X_test)[:, 1]` against `y_test`."
        )


def _check_sweep_model(model: Any, name: str, depth: int, split: Split) -> None:
    """The logged model must be the task's forest of that depth, fitted on the training rows."""
    import pandas as pd
    from sklearn.ensemble import RandomForestClassifier

    task_forest = RandomForestClassifier(n_estimators=100, max_depth=depth, random_state=0)
    task_forest.fit(split.X_train, split.y_train)
    if stores.same_predictions(model, task_forest, split.X_test):
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
            f"The model logged by the run `{name}` (max_depth={depth}) was fitted on {rows}, so "
            "its test score counts rows it has seen: fit each forest on `X_train`, `y_train`."
        )
    raise Fail(
        f"The model logged by the run `{name}` is not the task's forest fitted on the training "
        f"rows: `RandomForestClassifier(n_estimators=100, max_depth={depth}, random_state=0)` "
        "fitted on `X_train`, `y_train`."
    )


def check_leaderboard(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    import pandas as pd

    board = answer["leaderboard"]
    if not isinstance(board, pd.DataFrame) or not {"run_id", "metrics.roc_auc"} <= set(
        board.columns
    ):
        raise Fail(
            f"`leaderboard` is {describe_type(board)} without the columns `run_id` and "
            "`metrics.roc_auc`; expected the DataFrame `mlflow.search_runs(...)` returns."
        )
    client = _client(ctx)
    everything = {r.info.run_id: r for r in _sweep_runs(client)}
    bar = _median_score(list(everything.values()))
    scores_by_id = {i: r.data.metrics.get("roc_auc", -math.inf) for i, r in everything.items()}
    wanted = {i for i, score in scores_by_id.items() if score > bar + ON_THE_BAR}
    allowed = {i for i, score in scores_by_id.items() if score > bar - ON_THE_BAR}
    got = [str(i) for i in board["run_id"]]
    strangers = [i for i in got if i not in everything]
    if strangers:
        raise Fail(
            f"`leaderboard` holds {len(strangers)} run(s) that are not in {EXPERIMENT!r}: "
            f'search `experiment_names=["{EXPERIMENT}"]`.'
        )
    too_low = [i for i in got if i not in allowed]
    if too_low:
        raise Fail(
            f"`leaderboard` has {len(got)} runs, including {len(too_low)} whose roc_auc is at or "
            f"below the median of the sweep ({bar:.4f} in this run of the notebook): compute the "
            "median from the runs of the sweep, then keep only the runs above it with "
            '`filter_string=f"metrics.roc_auc > {median}"`.'
        )
    missing = wanted - set(got)
    if missing:
        raise Fail(
            f"`leaderboard` misses {len(missing)} run(s) of {EXPERIMENT!r} whose roc_auc is above "
            f"the median of the sweep ({bar:.4f} in this run of the notebook): take the median "
            "of every run of the experiment, computed in the notebook rather than typed in, query "
            "without other conditions and without `max_results`, and run the cell again if you "
            "re-ran the sweep after it."
        )
    scores = [float(s) for s in board["metrics.roc_auc"]]
    if any(later > earlier for earlier, later in itertools.pairwise(scores)):
        ascending = all(later >= earlier for earlier, later in itertools.pairwise(scores))
        how = "from the lowest roc_auc up" if ascending else "not by roc_auc"
        raise Fail(
            f"`leaderboard` is ordered {how}, so its first row is not the best run: sort with "
            '`order_by=["metrics.roc_auc DESC"]` (highest first).'
        )
    best = answer["best_run_id"]
    run = _sweep_run(client, best, "best_run_id")
    top = max(r.data.metrics["roc_auc"] for r in everything.values() if "roc_auc" in r.data.metrics)
    score = run.data.metrics.get("roc_auc")
    if score is None or not _close(float(score), top):
        better = sum(
            1
            for r in everything.values()
            if r.data.metrics.get("roc_auc", -math.inf) > (-math.inf if score is None else score)
        )
        raise Fail(
            f"`best_run_id` is {_run_label(run)}, but {better} run(s) of {EXPERIMENT!r} score "
            "higher: store the `run_id` of the first row of `leaderboard`."
        )
    # The best score is a claim about a model: the run must carry the model that makes it.
    model = stores.run_model(ctx, client, run, "The run `best_run_id`")
    _, X_test, _, y_test = ctx.split()
    if not stores.same_score(stores.score(model, X_test, y_test), float(score)):
        raise Fail(
            f"The run `best_run_id` logged roc_auc = {float(score):.4f}, but the model it logged "
            "scores otherwise on the test rows: the score was not measured on that model."
        )


def _model_version(client: Any, version: Any, name: str) -> Any:
    """The learner's ModelVersion (a record of its attributes), as stored in their registry."""
    from mlflow.exceptions import MlflowException

    if not (isinstance(version, ObjectRecord) and version.type_name == "ModelVersion"):
        raise Fail(
            f"`{name}` is {describe_type(version)}; expected the ModelVersion that "
            "`mlflow.register_model(...)` returns."
        )
    if version.name != MODEL_NAME:
        raise Fail(
            f"`{name}` is a version of {version.name!r}; register the model as {MODEL_NAME!r}."
        )
    try:
        return client.get_model_version(version.name, str(version.version))
    except MlflowException:
        raise Fail(
            f"Version {version.version} of {MODEL_NAME!r} is not in the registry of your data "
            "home: register it after `tracking.configure(...)`."
        ) from None


def check_registered(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    client = _client(ctx)
    stored = _model_version(client, answer["version"], "version")
    if not stored.run_id:
        raise Fail(
            f"Version {stored.version} of {MODEL_NAME!r} comes from a model that no run logged: "
            "register the model logged by the run `best_run_id`."
        )
    run = _sweep_run(client, stored.run_id, "the run of `version`")
    score = run.data.metrics.get("roc_auc")
    if score is None or not _close(float(score), _best_score(client)):
        if stored.run_id == ctx.answer("best_run_id") and ctx.passed_earlier("q2") is False:
            raise Fail(
                f"Version {stored.version} of {MODEL_NAME!r} holds the model of the run "
                "`best_run_id`, as asked, but `best_run_id` failed task 2: it is not the best "
                "run. Fix task 2, then register again."
            )
        raise Fail(
            f"Version {stored.version} of {MODEL_NAME!r} was registered from {_run_label(run)}, "
            f"which is not the best run of {EXPERIMENT!r}: find the model whose `source_run_id` "
            "is `best_run_id` and register that one."
        )
    logged = {m.model_id for m in stores.run_models(client, run)}
    model_id = stored.model_id or str(stored.source).removeprefix("models:/")
    if model_id not in logged:
        raise Fail(
            f"Version {stored.version} of {MODEL_NAME!r} names {_run_label(run)} as its run, but "
            f"holds a model that run did not log ({model_id or stored.source}): register the "
            "model whose `source_run_id` is `best_run_id`, with `mlflow.register_model(...)`."
        )


def check_champion(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    import numpy as np
    from mlflow.exceptions import MlflowException

    client = _client(ctx)
    registered = _model_version(client, answer["version"], "version")
    try:
        aliased = client.get_model_version_by_alias(MODEL_NAME, ALIAS)
    except MlflowException:
        raise Fail(
            f"{MODEL_NAME!r} has no alias {ALIAS!r}: set it with "
            f'`client.set_registered_model_alias("{MODEL_NAME}", "{ALIAS}", version.version)`.'
        ) from None
    if str(aliased.version) != str(registered.version):
        raise Fail(
            f"The alias {ALIAS!r} points at version {aliased.version}, not at the version you "
            f"registered in task 3 ({registered.version}): move the alias with "
            "`client.set_registered_model_alias(...)`."
        )
    champion = answer["champion"]
    if isinstance(champion, UntrustedEstimator):
        raise Fail(
            f"`champion` contains {', '.join(champion.untrusted)}, which the judge does not load: "
            "register and load a model made of scikit-learn's own classes."
        )
    if not hasattr(champion, "predict_proba"):
        raise Fail(
            f"`champion` is {describe_type(champion)}; expected the model loaded with "
            f'`mlflow.sklearn.load_model("models:/{MODEL_NAME}@{ALIAS}")`.'
        )
    model_id = aliased.model_id or str(aliased.source).removeprefix("models:/")
    reference = ctx.load_logged_model(
        model_id, f"The model behind the alias {ALIAS!r} of {MODEL_NAME!r}"
    )
    X_test = ctx.split().X_test
    try:
        same = np.allclose(champion.predict_proba(X_test), reference.predict_proba(X_test))
    except Exception:  # a model of another shape cannot be the aliased one
        same = False
    if not same:
        raise Fail(
            f"`champion` predicts differently from the version the alias {ALIAS!r} points at: "
            "load it through the alias, "
            f'`mlflow.sklearn.load_model("models:/{MODEL_NAME}@{ALIAS}")`.'
        )
