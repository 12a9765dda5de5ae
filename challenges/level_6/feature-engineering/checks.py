"""Custom checks for feature-engineering: features are judged on customers the notebook never uses.

The grader keeps aside every customer whose id is a multiple of 5 (``DATA``, ``ctx.holdout()``).
``add_features`` and ``final_model`` carry the learner's own function, which the judge never
calls: the challenge's probes (``probes.py``) run them on those customers' raw columns where the
answers are made (without the target and the leaky column, as at prediction time) and hand over
what came out: the feature table, the columns for a single customer, the churn probabilities.
Here the cross-validated ROC AUC of the notebook's model is computed twice on those customers,
on the raw columns and on the learner's feature table, with folds of the grader's own. No number
is typed in. A score no honest feature of this data reaches is reported as a leak. The final
model is scored on the same customers, against the reference's final model, and must be what a
refit of a clone of it on the notebook's rows gives (the probe refits it where it was made):
a pipeline fitted on every customer, the kept-aside ones included, is recognised as such.
"""

from __future__ import annotations

import math
from typing import Any

from sandbox.grading import CheckContext, DataSpec, Fail
from sandbox.grading.compare import describe_type
from sandbox.grading.records import FunctionValue, Record, UntrustedEstimator

TARGET = "churned"
LEAK_COLUMN = "days_since_cancellation_request"
MIN_GAIN = 0.02
# Honest models of this data reach a ROC AUC of about 0.85-0.88 on these customers; a leak
# (the cancellation request, the target) pushes it to nearly 1.
LEAK_CEILING = 0.95
HOLDOUT_MARGIN = 0.02

# The raw columns of X (no one-hot encoding: the model's pipeline sees them as they are), and
# the customers the grader keeps aside.
DATA = DataSpec(
    dataset="churn",
    target=TARGET,
    drop=("customer_id", LEAK_COLUMN),
    holdout=("customer_id", 5),
)


def _numeric_model() -> Any:
    """The notebook's `numeric_model`, on a table whose features are already computed."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer, StandardScaler

    return make_pipeline(
        FunctionTransformer(lambda frame: frame.select_dtypes("number")),
        StandardScaler(),
        LogisticRegression(max_iter=1000),
    )


def _cv_auc(X: Any, y: Any) -> float:
    """Cross-validated ROC AUC of the notebook's model on a feature table.

    A row-by-row feature function gives each fold the rows it would compute inside the
    pipeline, so scoring its output equals scoring ``numeric_model(add_features)``.
    """
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    folds = StratifiedKFold(5, shuffle=True, random_state=1)  # the grader's folds, not `CV`
    scores = cross_val_score(
        _numeric_model(), X, y, cv=folds, scoring="roc_auc", error_score="raise"
    )
    return float(scores.mean())


def _first_line(exc: Exception) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _applied(found: Any, what: str) -> Any:
    """The table ``add_features`` returned (as the probe saw it), or Fail with what went wrong."""
    if not isinstance(found, dict):
        raise Fail("`add_features` could not be run on the customers the grader kept aside.")
    if "returns" in found:
        raise Fail(
            f"`add_features` returns {found['returns']}; expected a DataFrame: the input's "
            "columns plus your new ones."
        )
    if found.get("raised") == "KeyError":
        missing = str(found.get("key", found.get("message", "")))
        if any(name in missing for name in (TARGET, LEAK_COLUMN)):
            raise Fail(
                f"`add_features` reads {missing!r}, which new customers do not have: the target "
                "and `days_since_cancellation_request` are only known after a customer leaves. "
                "Build features from the other columns."
            )
        raise Fail(
            f"`add_features` raised KeyError {missing!r} on {what}. "
            "Use only the columns of the `frame` it receives (those of `X`)."
        )
    if "raised" in found:
        raise Fail(
            f"`add_features` raised {found['raised']}: {found.get('message', '')} on {what}. It "
            "must work on any table with the columns of `X`."
        )
    return found.get("table")


def check_features(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    import numpy as np

    add_features = answer["add_features"]
    if not isinstance(add_features, FunctionValue):
        raise Fail(
            f"`add_features` is {describe_type(add_features)}; expected a function: "
            "`def add_features(frame): ...` returning the table with your new columns."
        )
    probe = ctx.probe("add_features")
    if not isinstance(probe, dict) or "error" in probe or "many" not in probe:
        detail = probe.get("error") if isinstance(probe, dict) else None
        raise Fail(
            "`add_features` could not be run on the customers the grader kept aside"
            + (f" ({detail})." if detail else ".")
        )
    X, y = ctx.holdout()
    out = _applied(probe["many"], "the customers the grader kept aside")
    if len(out) != len(X) or not out.index.equals(X.index):
        raise Fail(
            f"`add_features` returns {len(out)} rows for {len(X)} customers (or other row "
            "labels): add columns, and keep every row in its place."
        )
    one = probe.get("one")
    if isinstance(one, dict) and "columns" not in one:
        _applied(one, "a single customer")
    one_columns = list(one.get("columns", [])) if isinstance(one, dict) else []
    if one_columns != [str(c) for c in out.columns]:
        raise Fail(
            "`add_features` gives one customer other columns than many "
            f"({len(one_columns)} instead of {len(out.columns)}): a feature must be computed "
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
    baseline = _cv_auc(X, y)
    try:
        engineered = _cv_auc(out, y)
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


def _holdout_proba(model: Any, probe: Any, name: str, ctx: CheckContext) -> Any:
    """Churn probabilities of ``model`` for the kept-aside customers' raw columns.

    A pipeline of scikit-learn's own parts is run here; one that carries a learner's function
    (a FunctionTransformer of ``add_features``) arrives as UntrustedEstimator, and its
    probabilities are what the probe measured where it was made.
    """
    import numpy as np
    from sklearn.exceptions import NotFittedError

    X, _ = ctx.holdout()
    if not isinstance(model, Record) and hasattr(model, "predict_proba"):
        try:
            return np.asarray(model.predict_proba(X), dtype=float)[:, 1]
        except NotFittedError:
            raise Fail(f"`{name}` is not fitted yet: call `.fit(X, y)`.") from None
        except Exception as exc:
            raise Fail(_cannot_score(name, type(exc).__name__, _first_line(exc))) from None
    if not isinstance(model, UntrustedEstimator):
        raise Fail(
            f"`{name}` is {describe_type(model)}; expected the fitted pipeline "
            "`numeric_model(add_features).fit(X, y)`."
        )
    if not isinstance(probe, dict) or "error" in probe:
        detail = probe.get("error") if isinstance(probe, dict) else "nothing was measured"
        raise Fail(f"`{name}` could not be run on new customers ({detail}).")
    if probe.get("predict_proba") is False:
        raise Fail(
            f"`{name}` is {describe_type(model)} without `predict_proba`; expected the fitted "
            "pipeline `numeric_model(add_features).fit(X, y)`."
        )
    if probe.get("raised") == "NotFittedError":
        raise Fail(f"`{name}` is not fitted yet: call `.fit(X, y)`.")
    if "raised" in probe:
        raise Fail(_cannot_score(name, str(probe["raised"]), str(probe.get("message", ""))))
    proba = np.asarray(probe.get("proba"), dtype=float)
    if proba.shape != (len(X),):
        raise Fail(f"`{name}` gives {proba.size} probabilities for {len(X)} new customers.")
    return proba


def _cannot_score(name: str, kind: str, message: str) -> str:
    return (
        f"`{name}` cannot score new customers given as raw columns, like those of `X` "
        f"({kind}: {message}). Put the features inside the pipeline: "
        "`numeric_model(add_features).fit(X, y)`."
    )


def _check_fitted_rows(model: Any, probe: Any, proba: Any, ctx: CheckContext) -> None:
    """``final_model`` must give what a clone of it fitted on ``X``, ``y`` gives."""
    import numpy as np
    from sklearn.base import clone

    def refit(key: str, rows: tuple[Any, Any]) -> Any:
        if not isinstance(model, Record):  # scikit-learn's own parts: the judge refits it
            try:
                fitted = clone(model).fit(*rows)
                return np.asarray(fitted.predict_proba(ctx.holdout()[0]), dtype=float)[:, 1]
            except Exception:
                return None
        found = probe.get(key) if isinstance(probe, dict) else None
        return None if found is None or isinstance(found, dict) else np.asarray(found, float)

    mine = refit("refit_proba", ctx.learner_rows())
    if mine is not None and np.allclose(proba, mine):
        return
    everyone = refit("everyone_proba", _every_customer())
    if everyone is not None and np.allclose(proba, everyone):
        raise Fail(
            "`final_model` was fitted on every customer, the ones the grader keeps aside "
            "included, so its score on them measures rows it has seen: fit it on `X`, `y`."
        )
    raise Fail(
        "`final_model` is not what fitting `numeric_model(add_features)` on `X`, `y` gives: "
        "fit it on those rows, and nothing else."
    )


def _every_customer() -> tuple[Any, Any]:
    from sandbox import datasets

    churn = datasets.load("churn")
    return churn.drop(columns=["customer_id", TARGET, LEAK_COLUMN]), churn[TARGET]


def check_final_model(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    from sklearn.metrics import roc_auc_score

    _, y = ctx.holdout()
    proba = _holdout_proba(answer["final_model"], ctx.probe("final_model"), "final_model", ctx)
    _check_fitted_rows(answer["final_model"], ctx.probe("final_model"), proba, ctx)
    score = float(roc_auc_score(y, proba))
    reference = _holdout_proba(
        expected["final_model"], ctx.reference_probe("final_model"), "final_model", ctx
    )
    floor = float(roc_auc_score(y, reference)) - HOLDOUT_MARGIN
    if math.isnan(score) or score < floor:
        cause = (
            " It computes the features of `add_features`, which failed task 3: fix those first."
            if ctx.passed_earlier("q3") is False
            else " Fit `numeric_model(add_features)`, with your features, on `X`, `y`."
        )
        raise Fail(
            f"`final_model` scores roc_auc = {score:.3f} on customers it never saw; it needs at "
            f"least {floor:.3f}.{cause}"
        )
