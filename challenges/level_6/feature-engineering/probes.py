"""Probes for feature-engineering: what the learner's function and final model do to customers.

The judge never calls learner code, and ``add_features`` (like the FunctionTransformer that
carries it inside ``final_model``) is learner code. So these probes run where the answers are
made (the learner's kernel, and the reference's own process) and hand the judge plain data:
the table ``add_features`` returns for the customers the grader keeps aside (every customer
whose ``customer_id`` is a multiple of 5, as the notebook says), the columns it returns for one
of them, and the churn probabilities ``final_model`` gives them, next to those of two refits of
a clone of it (one on the notebook's rows, one on every customer), which show what it was
fitted on. ``checks.py`` decides.
"""

from __future__ import annotations

from typing import Any

NOT_FEATURES = ["customer_id", "churned", "days_since_cancellation_request"]


def kept_aside() -> Any:
    """The raw columns of the customers the grader keeps aside, as at prediction time."""
    from sandbox import datasets

    churn = datasets.load("churn")
    return churn[churn["customer_id"] % 5 == 0].drop(columns=NOT_FEATURES)


def notebook_rows() -> tuple[Any, Any]:
    """The raw columns and outcome of the customers the notebook works with (``X``, ``y``)."""
    from sandbox import datasets

    churn = datasets.load("churn")
    work = churn[churn["customer_id"] % 5 != 0]
    return work.drop(columns=NOT_FEATURES), work["churned"]


def every_customer() -> tuple[Any, Any]:
    """The raw columns and outcome of every customer, the kept-aside ones included."""
    from sandbox import datasets

    churn = datasets.load("churn")
    return churn.drop(columns=NOT_FEATURES), churn["churned"]


def _raised(exc: BaseException) -> dict[str, Any]:
    lines = str(exc).strip().splitlines()
    found: dict[str, Any] = {
        "raised": type(exc).__name__,
        "message": lines[0] if lines else type(exc).__name__,
    }
    if isinstance(exc, KeyError) and exc.args:
        found["key"] = str(exc.args[0])
    return found


def _kind(value: Any) -> str:
    from sandbox.grading.compare import describe_type

    return describe_type(value)


def probe_add_features(value: Any) -> dict[str, Any]:
    """The table ``add_features`` returns for the kept-aside customers, and for the first alone."""
    import pandas as pd

    if not callable(value):
        return {"callable": False}
    frame = kept_aside()
    try:
        out = value(frame.copy())
    except Exception as exc:
        return {"callable": True, "many": _raised(exc)}
    if not isinstance(out, pd.DataFrame):
        return {"callable": True, "many": {"returns": _kind(out)}}
    found: dict[str, Any] = {"callable": True, "many": {"table": out}}
    try:
        one = value(frame.iloc[[0]].copy())
    except Exception as exc:
        found["one"] = _raised(exc)
    else:
        found["one"] = (
            {"columns": [str(c) for c in one.columns]}
            if isinstance(one, pd.DataFrame)
            else {"returns": _kind(one)}
        )
    return found


def probe_final_model(value: Any) -> dict[str, Any]:
    """The churn probabilities ``final_model`` gives the kept-aside customers' raw columns."""
    import numpy as np

    if not hasattr(value, "predict_proba"):
        return {"predict_proba": False}
    aside = kept_aside()
    try:
        proba = np.asarray(value.predict_proba(aside), dtype=float)[:, 1]
    except Exception as exc:
        return _raised(exc)
    found: dict[str, Any] = {"proba": proba}
    # What a clone of the model gives when fitted on given rows: the judge compares.
    from sklearn.base import clone

    for key, rows in (("refit_proba", notebook_rows), ("everyone_proba", every_customer)):
        try:
            refit = clone(value).fit(*rows())
            found[key] = np.asarray(refit.predict_proba(aside), dtype=float)[:, 1]
        except Exception as exc:
            found[key] = _raised(exc)
    return found
