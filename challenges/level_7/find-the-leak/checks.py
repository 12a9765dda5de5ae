"""Custom checks for find-the-leak: models are judged by the columns they read and how they score.

``DATA`` declares the notebook's rows and split (``ctx.split()``): the customers it loads
(``customer_id`` up to :data:`LAST_TRAINING_ID`), one-hot encoded as its ``prepare`` does; the
reference solution's checks fail in ``sandbox dev check`` if the two ever drift apart. The
final model is also scored on the 500 customers the notebook never loads (``customer_id`` above
:data:`LAST_TRAINING_ID`); the pass mark is the reference model's score on them minus
:data:`SCORE_MARGIN`. The models arrive as the fitted scikit-learn forests they are.

Both forests must be the task's forest fitted on the training rows (a refit reproduces them,
:mod:`sandbox.grading.stores`): a forest fitted on every row reproduces its own inflated test
score, so the score alone cannot tell. The numbers of tasks 1 to 3 are recomputed from the
learner's own ``leaky_model``; when that model failed task 1 and a later number is right for
it, the message says the cause is task 1.
"""

from __future__ import annotations

import math
from typing import Any

from sandbox import datasets
from sandbox.grading import CheckContext, DataSpec, Fail, stores
from sandbox.grading.compare import describe_type

LEAK = "days_since_cancellation_request"
LAST_TRAINING_ID = 2000
SCORE_MARGIN = 0.02
CATEGORIES = ["region", "plan", "contract", "payment_method"]
FOREST = {"n_estimators": 100, "max_depth": 6, "random_state": 0}


def prepare(frame: Any) -> Any:
    """The notebook's ``prepare``: every column but the id and the target, one-hot encoded."""
    import pandas as pd

    features = frame.drop(columns=["customer_id", "churned"])
    return pd.get_dummies(features, columns=CATEGORIES, dtype=float)


def _loaded(frame: Any) -> Any:
    """The customers the notebook loads, one-hot encoded like ``prepare`` (id and target kept:
    DataSpec drops them)."""
    import pandas as pd

    seen = frame[frame["customer_id"] <= LAST_TRAINING_ID]
    return pd.get_dummies(seen, columns=CATEGORIES, dtype=float)


DATA = DataSpec(
    dataset="churn",
    target="churned",
    drop=("customer_id",),
    prepare=_loaded,
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
    held = churn[churn["customer_id"] > LAST_TRAINING_ID]
    return prepare(held), held["churned"]


def _fitted_classifier(model: Any, name: str) -> list[str]:
    """The model's training columns, after checking it is a fitted classifier."""
    from sklearn.base import is_classifier
    from sklearn.exceptions import NotFittedError
    from sklearn.utils.validation import check_is_fitted

    if not (hasattr(model, "fit") and hasattr(model, "predict_proba")):
        raise Fail(f"`{name}` is {describe_type(model)}; expected a fitted RandomForestClassifier.")
    try:
        check_is_fitted(model)
    except NotFittedError:
        raise Fail(f"`{name}` is not fitted yet: call `{name}.fit(...)`.") from None
    if not is_classifier(model):
        raise Fail(f"`{name}` is not a classifier, but churn is a yes/no outcome.")
    columns = getattr(model, "feature_names_in_", None)
    if columns is None:
        raise Fail(
            f"`{name}` was fitted on an array without column names: fit it on the DataFrame "
            "`X_train` (or a DataFrame made from it)."
        )
    return [str(column) for column in columns]


def _number(value: Any, name: str) -> float:
    import numbers

    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise Fail(f"`{name}` is {describe_type(value)}; expected a number.")
    return float(value)


def _auc(model: Any, X: Any, y: Any, columns: list[str]) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y, model.predict_proba(X[columns])[:, 1]))


def _check_task_forest(model: Any, name: str, columns: list[str], ctx: CheckContext) -> None:
    """``model`` must be the task's forest, fitted on the training rows (those columns)."""
    import pandas as pd

    settings = model.get_params()
    unlike = [key for key, value in FOREST.items() if settings.get(key) != value]
    if unlike:
        raise Fail(
            f"`{name}` has {unlike[0]}={settings.get(unlike[0])!r}; the task's forest is "
            "`RandomForestClassifier(n_estimators=100, max_depth=6, random_state=0, n_jobs=1)`."
        )
    X_train, X_test, y_train, y_test = ctx.split()
    if stores.refit_matches(model, X_train[columns], y_train, X_test[columns]):
        return
    # Every row in the notebook's order (a forest's bootstrap depends on the row order).
    everything = (
        pd.concat([X_train, X_test]).sort_index()[columns],
        pd.concat([y_train, y_test]).sort_index(),
    )
    rows = stores.fitted_on(
        model,
        {"every row, test rows included": everything, "the test rows": (X_test[columns], y_test)},
        X_test[columns],
    )
    raise Fail(
        f"`{name}` is not the forest a fit on the training rows gives"
        + (
            f": it was fitted on {rows}, so its test score counts rows it has seen."
            if rows
            else "."
        )
        + " Fit it on `X_train`, `y_train` only."
    )


def _leaky_model_failed(ctx: CheckContext) -> bool:
    """Whether ``leaky_model`` itself (not only ``leaky_auc``) is why task 1 failed."""
    if ctx.passed_earlier("q1") is not False:
        return False
    model = ctx.answer("leaky_model")
    try:
        columns = _fitted_classifier(model, "leaky_model")
        _check_task_forest(model, "leaky_model", columns, ctx)
    except Fail:
        return True
    return False


def check_leaky(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    from sklearn.metrics import roc_auc_score

    X_train, X_test, _, y_test = ctx.split()
    columns = _fitted_classifier(answer["leaky_model"], "leaky_model")
    if LEAK not in columns:
        raise Fail(
            f"`leaky_model` does not read `{LEAK}`: for this task, fit it on every column of "
            "`X_train`, to see what the data as delivered does to a model."
        )
    if set(columns) != {str(c) for c in X_train.columns}:
        raise Fail("`leaky_model` was not fitted on the columns of `X_train`: use all of them.")
    _check_task_forest(answer["leaky_model"], "leaky_model", columns, ctx)
    got = _number(answer["leaky_auc"], "leaky_auc")
    if math.isclose(got, float(expected["leaky_auc"]), rel_tol=1e-6, abs_tol=1e-9):
        return
    labels = answer["leaky_model"].predict(X_test[columns])
    if math.isclose(got, float(roc_auc_score(y_test, labels)), abs_tol=1e-9):
        raise Fail(
            "`leaky_auc` was computed from predicted labels: ROC AUC needs scores, "
            "`leaky_model.predict_proba(X_test)[:, 1]`."
        )
    direction = "too high" if got > float(expected["leaky_auc"]) else "too low"
    raise Fail(
        f"`leaky_auc` is {got:.4f}, which is {direction}: score `leaky_model` on the test rows "
        "with `roc_auc_score(y_test, leaky_model.predict_proba(X_test)[:, 1])`."
    )


def check_suspect(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    suspect = answer["suspect"]
    if not isinstance(suspect, str):
        raise Fail(f"`suspect` is {describe_type(suspect)}; expected a feature name (a string).")
    share = _number(answer["suspect_share"], "suspect_share")
    if _leaky_model_failed(ctx):
        own = _own_suspect(ctx)
        if own is not None and suspect == own[0] and math.isclose(share, own[1], rel_tol=1e-4):
            raise Fail(
                "`suspect` and `suspect_share` are right for your `leaky_model`, but "
                "`leaky_model` failed task 1: fix task 1 and run this cell again."
            )
    if suspect != expected["suspect"]:
        raise Fail(
            f"`suspect` is {suspect!r}, which is not the feature with the largest mean |SHAP|: "
            "average the absolute SHAP values of each feature over the test rows, then take "
            "the largest."
        )
    want = float(expected["suspect_share"])
    if not 0 <= share <= 1:
        raise Fail(
            f"`suspect_share` is {share:.4g}; a share lies between 0 and 1: the suspect's mean "
            "|SHAP| divided by the sum of every feature's mean |SHAP|, all absolute values."
        )
    if math.isclose(share, want, rel_tol=1e-4):
        return
    direction = "too high" if share > want else "too low"
    raise Fail(
        f"`suspect_share` is {share:.4f}, which is {direction}: divide the suspect's mean "
        "|SHAP| by the sum of every feature's mean |SHAP|, using absolute SHAP values averaged "
        "over the test rows."
    )


def _own_suspect(ctx: CheckContext) -> tuple[str, float] | None:
    """The top feature by mean |SHAP| of the learner's own ``leaky_model``, and its share."""
    import numpy as np

    from sandbox.integrations import explain

    model = ctx.answer("leaky_model")
    try:
        columns = _fitted_classifier(model, "leaky_model")
        X_test = ctx.split().X_test
        expl = explain.shap_explanation(model, X_test[columns])
    except Exception:  # a model that cannot be explained on the test rows has no suspect
        return None
    mean_abs = np.abs(np.asarray(expl.values, dtype=float)).mean(axis=0)
    top = int(np.argmax(mean_abs))
    return str(expl.feature_names[top]), float(mean_abs[top] / mean_abs.sum())


def check_deployed(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    import numpy as np
    from sklearn.metrics import recall_score

    got = _number(answer["deployed_recall"], "deployed_recall")
    want = float(expected["deployed_recall"])
    if math.isclose(got, want, abs_tol=1e-9):
        return
    if _leaky_model_failed(ctx):
        model = ctx.answer("leaky_model")
        _, X_test, _, y_test = ctx.split()
        try:
            columns = _fitted_classifier(model, "leaky_model")
            live = X_test.assign(**{LEAK: np.nan})[columns]
            own = float(recall_score(y_test, model.predict(live)))
        except Exception:  # the learner's model cannot score the rows: no knock-on to report
            own = math.nan
        if math.isclose(got, own, abs_tol=1e-9):
            raise Fail(
                "`deployed_recall` is right for your `leaky_model`, but `leaky_model` failed "
                "task 1: fix task 1 and run this cell again."
            )
    if got > want:
        raise Fail(
            f"`deployed_recall` is {got:.3f}: the model still sees cancellation requests. On the "
            f"day it goes live `{LEAK}` is empty, so set it to `np.nan` for every test row. "
            "(Filling it with 0 would say every customer asked to cancel today.)"
        )
    raise Fail(
        f"`deployed_recall` is {got:.3f}, which is too low: it is the share of the real "
        "churners in `y_test` that `leaky_model.predict` flags, `recall_score(y_test, ...)`."
    )


def check_honest(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    _, X_test, _, y_test = ctx.split()
    model = answer["honest_model"]
    columns = _fitted_classifier(model, "honest_model")
    if LEAK in columns:
        raise Fail(
            f"`honest_model` still reads `{LEAK}`, the leak: drop that column from `X_train` "
            "before fitting (and from `X_test` before scoring)."
        )
    unknown = [c for c in columns if c not in X_test.columns]
    if unknown:
        raise Fail(
            f"`honest_model` was fitted on column(s) {', '.join(map(repr, unknown[:3]))} that "
            "`X_train` does not have: fit it on `X_train` without the leak."
        )
    _check_task_forest(model, "honest_model", columns, ctx)
    got = _number(answer["honest_auc"], "honest_auc")
    own = _auc(model, X_test, y_test, columns)
    if not math.isclose(got, own, rel_tol=1e-6, abs_tol=1e-9):
        raise Fail(
            f"`honest_auc` is {got:.4f}, but `honest_model` scores a ROC AUC of {own:.4f} on "
            "the test rows: score `honest_model.predict_proba(...)[:, 1]` on `X_test` without "
            "the leak."
        )
    X_held, y_held = _held_out()
    score = _auc(model, X_held, y_held, columns)
    reference_model = expected["honest_model"]
    floor = _auc(reference_model, X_held, y_held, list(reference_model.feature_names_in_))
    floor -= SCORE_MARGIN
    if score < floor:
        raise Fail(
            f"`honest_model` scores a ROC AUC of {score:.3f} on the {len(y_held)} customers the "
            f"grader held back; it needs at least {floor:.3f}. Drop only the leak and keep the "
            "forest's settings from task 1."
        )
