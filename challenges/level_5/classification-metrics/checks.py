"""Custom checks of classification-metrics: compare with the reference, then name the slip.

Expected values come from the reference solution. The alternatives a wrong answer is compared
with (the default threshold, the wrong column of ``predict_proba``, 0/1 labels given to ROC AUC,
the training rows) are recomputed from the notebook's model and split, rebuilt here exactly as
the notebook builds them (``_setup``). The confusion-matrix figure is read back from the text
Yellowbrick writes in its cells.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

from sandbox import datasets
from sandbox.grading import Fail
from sandbox.grading.compare import compare_value, describe_type

TARGET = "churned"
CATEGORICAL = ["region", "plan", "contract", "payment_method"]
NOT_FEATURES = ["customer_id", TARGET, "days_since_cancellation_request"]
THRESHOLD = 0.3  # the notebook's `threshold`


def _setup() -> dict[str, Any]:
    """The notebook's split and fitted churn pipeline."""
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    churn = datasets.load("churn")
    numeric = [c for c in churn.select_dtypes("number").columns if c not in NOT_FEATURES]
    X, y = churn[numeric + CATEGORICAL], churn[TARGET]
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=42
    )
    preprocess = ColumnTransformer(
        [
            ("num", StandardScaler(), numeric),
            ("cat", OneHotEncoder(handle_unknown="ignore"), CATEGORICAL),
        ]
    )
    model = Pipeline(
        [("preprocess", preprocess), ("classifier", LogisticRegression(max_iter=1000))]
    )
    model.fit(X_train, y_train)
    return {
        "model": model,
        "X_train": X_train,
        "X_test": X_test,
        "y_train": y_train,
        "y_test": y_test,
    }


def _number(name: str, value: Any) -> float:
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise Fail(f"`{name}` is {describe_type(value)}; expected a number.")
    return float(value)


def _close(a: float, b: Any) -> bool:
    return math.isclose(a, float(b), rel_tol=1e-6, abs_tol=1e-9)


# ------------------------------------------------------------------------------------ q1


def _cell_counts(figure: Any) -> list[str]:
    """The texts Yellowbrick writes in the cells of its confusion matrix, or Fail."""
    from matplotlib.figure import Figure

    if not isinstance(figure, Figure):
        raise Fail(
            f"`cm_figure` is {describe_type(figure)}; expected the matplotlib Figure that "
            "`diagnostics.confusion_matrix(...)` returns."
        )
    for ax in figure.axes:
        if "confusion matrix" in ax.get_title().lower():
            return [t.get_text().strip() for t in ax.texts]
    raise Fail(
        "`cm_figure` does not show a confusion matrix: draw it with "
        "`diagnostics.confusion_matrix(model, X_train, y_train, X_test, y_test, classes=[...])`."
    )


def check_confusion(answer: dict[str, Any], expected: dict[str, Any], ctx: Any) -> None:
    cells = _cell_counts(answer["cm_figure"])
    if any(text.endswith("%") for text in cells):
        raise Fail(
            "`cm_figure` shows percentages: leave `percent` at its default (False) to read counts "
            "of customers."
        )
    try:
        total = sum(int(text) for text in cells)
    except ValueError:
        raise Fail("`cm_figure` does not show whole counts in its cells.") from None
    ref = _setup()
    n_test, n_train = len(ref["y_test"]), len(ref["y_train"])
    if total == n_train:
        raise Fail(
            f"`cm_figure` counts {total} customers: the training rows. The counts must come from "
            f"the {n_test} test rows: pass `X_test, y_test` as the last two arguments."
        )
    if total != n_test:
        raise Fail(
            f"`cm_figure` counts {total} customers; the test set has {n_test}. Pass "
            "`model, X_train, y_train, X_test, y_test`, in that order."
        )
    missed = _number("missed_churners", answer["missed_churners"])
    alarms = _number("false_alarms", answer["false_alarms"])
    want_missed, want_alarms = expected["missed_churners"], expected["false_alarms"]
    if _close(missed, want_alarms) and _close(alarms, want_missed):
        raise Fail(
            "`missed_churners` and `false_alarms` are swapped. Rows are the true class and "
            'columns the predicted one: a missed churner truly churns (row "churns") but is '
            'predicted to stay (column "stays").'
        )
    compare_value("missed_churners", missed, want_missed, {})
    compare_value("false_alarms", alarms, want_alarms, {})


# ------------------------------------------------------------------------------------ q3


def _flag_metrics(y_true: Any, flags: Any) -> tuple[float, float, float]:
    from sklearn.metrics import f1_score, precision_score, recall_score

    return (
        float(precision_score(y_true, flags, zero_division=0)),
        float(recall_score(y_true, flags, zero_division=0)),
        float(f1_score(y_true, flags, zero_division=0)),
    )


def check_threshold(answer: dict[str, Any], expected: dict[str, Any], ctx: Any) -> None:
    names = ("precision", "recall", "f1")
    got = tuple(_number(n, answer[n]) for n in names)
    want = tuple(float(expected[n]) for n in names)
    if all(_close(g, w) for g, w in zip(got, want, strict=True)):
        return
    ref = _setup()
    model, X_test, y_test, threshold = ref["model"], ref["X_test"], ref["y_test"], THRESHOLD
    proba = model.predict_proba(X_test)
    slips = (
        (
            _flag_metrics(y_test, model.predict(X_test)),
            "`precision`, `recall` and `f1` are the numbers at the default threshold 0.5 (what "
            "`model.predict` uses). "
            f"Flag the customers whose churn probability is at least {threshold}: "
            "`model.predict_proba(X_test)[:, 1] >= threshold`.",
        ),
        (
            _flag_metrics(y_test, (proba[:, 0] >= threshold).astype(int)),
            "`precision`, `recall` and `f1` come from column 0 of `predict_proba`, the probability "
            "of *staying*. Column 1 is the probability of class 1, churning: "
            "`model.predict_proba(X_test)[:, 1]`.",
        ),
        (
            _flag_metrics(y_test, (proba[:, 1] < threshold).astype(int)),
            "`precision`, `recall` and `f1` come from flags pointing the wrong way: flag the "
            "customers whose churn probability is at least the threshold (`>=`), not below it.",
        ),
    )
    for values, message in slips:
        if all(_close(g, w) for g, w in zip(got, values, strict=True)):
            raise Fail(message)
    for name, g, w in zip(names, got, want, strict=True):
        compare_value(name, g, w, {})


# ------------------------------------------------------------------------------------ q4


def check_auc(answer: dict[str, Any], expected: dict[str, Any], ctx: Any) -> None:
    from sklearn.metrics import roc_auc_score

    auc = _number("auc", answer["auc"])
    if _close(auc, expected["auc"]):
        return
    ref = _setup()
    model = ref["model"]
    X_train, y_train, X_test, y_test = ref["X_train"], ref["y_train"], ref["X_test"], ref["y_test"]
    slips = (
        (
            roc_auc_score(y_test, model.predict(X_test)),
            "`auc` was computed from 0/1 predictions (`model.predict`), which keep a single "
            "threshold. ROC AUC needs the probabilities: `model.predict_proba(X_test)[:, 1]`.",
        ),
        (
            roc_auc_score(y_test, model.predict_proba(X_test)[:, 0]),
            "`auc` is below 0.5 because it scores column 0 of `predict_proba`, the probability of "
            "staying. Use column 1, the probability of churning.",
        ),
        (
            roc_auc_score(y_train, model.predict_proba(X_train)[:, 1]),
            "`auc` is measured on the training rows, which the model has already seen: use "
            "`X_test` and `y_test`.",
        ),
    )
    for value, message in slips:
        if _close(auc, value):
            raise Fail(message)
    compare_value("auc", auc, expected["auc"], {})
