"""Custom checks for feature-engineering: features are judged on customers the notebook never uses.

The grader keeps aside every customer whose id is a multiple of 5. ``add_features`` is run on
those customers' raw columns (without the target and the leaky column, as at prediction time)
and the cross-validated ROC AUC of the notebook's model is computed twice there, on the raw
columns and with the learner's features, with folds of the grader's own. Both scores are
recomputed here from the learner's function; no number is typed in. A score no honest feature
of this data reaches is reported as a leak. The final model is scored on the same customers,
against the reference's final model.
"""

from __future__ import annotations

import math
from typing import Any

from sandbox import datasets
from sandbox.grading import Fail
from sandbox.grading.compare import describe_type

NOT_FEATURES = ["customer_id", "churned", "days_since_cancellation_request"]
TARGET = "churned"
MIN_GAIN = 0.02
# Honest models of this data reach a ROC AUC of about 0.85-0.88 on these customers; a leak
# (the cancellation request, the target) pushes it to nearly 1.
LEAK_CEILING = 0.95
HOLDOUT_MARGIN = 0.02


def _kept_aside() -> tuple[Any, Any]:
    """Raw columns and target of the customers the grader keeps aside (original row labels)."""
    churn = datasets.load("churn")
    aside = churn[churn["customer_id"] % 5 == 0]
    return aside.drop(columns=NOT_FEATURES), aside[TARGET]


def _numeric_model(features: Any) -> Any:
    """The notebook's `numeric_model`, rebuilt."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer, StandardScaler

    return make_pipeline(
        FunctionTransformer(features),
        FunctionTransformer(lambda frame: frame.select_dtypes("number")),
        StandardScaler(),
        LogisticRegression(max_iter=1000),
    )


def _cv_auc(features: Any, X: Any, y: Any) -> float:
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    folds = StratifiedKFold(5, shuffle=True, random_state=1)  # the grader's folds, not `CV`
    scores = cross_val_score(
        _numeric_model(features), X, y, cv=folds, scoring="roc_auc", error_score="raise"
    )
    return float(scores.mean())


def _apply(add_features: Any, frame: Any) -> Any:
    """``add_features(frame)`` with the learner-facing failures turned into messages."""
    import pandas as pd

    try:
        out = add_features(frame.copy())
    except KeyError as exc:
        missing = str(exc.args[0]) if exc.args else str(exc)
        if any(name in missing for name in (TARGET, "days_since_cancellation_request")):
            raise Fail(
                f"`add_features` reads {missing}, which new customers do not have: the target "
                "and `days_since_cancellation_request` are only known after a customer leaves. "
                "Build features from the other columns."
            ) from None
        raise Fail(
            f"`add_features` raised KeyError {missing} on the customers the grader kept aside. "
            "Use only the columns of the `frame` it receives (those of `X`)."
        ) from None
    except Exception as exc:
        raise Fail(
            f"`add_features` raised {type(exc).__name__}: {_first_line(exc)} on the customers "
            "the grader kept aside. It must work on any table with the columns of `X`."
        ) from None
    if not isinstance(out, pd.DataFrame):
        raise Fail(
            f"`add_features` returns {describe_type(out)}; expected a DataFrame: the input's "
            "columns plus your new ones."
        )
    return out


def _first_line(exc: Exception) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def check_features(answer: dict[str, Any], expected: dict[str, Any], ctx: Any) -> None:
    import numpy as np

    add_features = answer["add_features"]
    if not callable(add_features):
        raise Fail(
            f"`add_features` is {describe_type(add_features)}; expected a function: "
            "`def add_features(frame): ...` returning the table with your new columns."
        )
    X, y = _kept_aside()
    out = _apply(add_features, X)
    if len(out) != len(X) or not out.index.equals(X.index):
        raise Fail(
            f"`add_features` returns {len(out)} rows for {len(X)} customers (or other row "
            "labels): add columns, and keep every row in its place."
        )
    one = _apply(add_features, X.iloc[[0]])
    if list(one.columns) != list(out.columns):
        raise Fail(
            "`add_features` gives one customer other columns than many "
            f"({len(one.columns)} instead of {len(out.columns)}): a feature must be computed "
            "row by row. `pd.get_dummies` only creates columns for the values present; compare "
            'with the value instead: `(frame["contract"] == "two-year").astype(int)`.'
        )
    numeric = out.select_dtypes("number")
    broken = [c for c in numeric.columns if not np.isfinite(numeric[c].to_numpy(float)).all()]
    if broken:
        raise Fail(
            f"`add_features` makes column `{broken[0]}` with missing or infinite values on the "
            "customers the grader kept aside (a division by zero?); the model cannot use them."
        )
    baseline = _cv_auc(lambda frame: frame, X, y)
    try:
        engineered = _cv_auc(add_features, X, y)
    except Exception as exc:
        raise Fail(
            "Cross-validating `numeric_model(add_features)` raised "
            f"{type(exc).__name__}: {_first_line(exc)}. Check that your new columns are numbers."
        ) from None
    if engineered > LEAK_CEILING:
        raise Fail(
            f"With your features the model reaches ROC AUC {engineered:.3f} on the customers the "
            "grader kept aside: too good to be true for this data, so one feature knows the "
            "answer. Does a feature use the target or `days_since_cancellation_request` (even by "
            "looking rows up in `churn`)? New customers have neither."
        )
    gain = engineered - baseline
    if gain < MIN_GAIN:
        raise Fail(
            f"Your features move the cross-validated ROC AUC on the customers the grader kept "
            f"aside from {baseline:.3f} to {engineered:.3f} ({gain:+.4f}); it must rise by at "
            f"least {MIN_GAIN}. The model can already combine the numeric columns: give it what "
            "it cannot see (look at `unseen_columns`)."
        )


def check_final_model(answer: dict[str, Any], expected: dict[str, Any], ctx: Any) -> None:
    from sklearn.exceptions import NotFittedError
    from sklearn.metrics import roc_auc_score

    model = answer["final_model"]
    if not hasattr(model, "predict_proba"):
        raise Fail(
            f"`final_model` is {describe_type(model)}; expected the fitted pipeline "
            "`numeric_model(add_features).fit(X, y)`."
        )
    X, y = _kept_aside()
    try:
        proba = model.predict_proba(X)[:, 1]
    except NotFittedError:
        raise Fail("`final_model` is not fitted yet: call `.fit(X, y)`.") from None
    except Exception as exc:
        raise Fail(
            "`final_model` cannot score new customers given as raw columns, like those of `X` "
            f"({type(exc).__name__}: {_first_line(exc)}). Put the features inside the "
            "pipeline: "
            "`numeric_model(add_features).fit(X, y)`."
        ) from None
    score = float(roc_auc_score(y, proba))
    reference = expected["final_model"]
    floor = float(roc_auc_score(y, reference.predict_proba(X)[:, 1])) - HOLDOUT_MARGIN
    if math.isnan(score) or score < floor:
        raise Fail(
            f"`final_model` scores roc_auc = {score:.3f} on customers it never saw; it needs at "
            f"least {floor:.3f}. Fit `numeric_model(add_features)`, with your features, on `X`, "
            "`y`."
        )
