"""Custom checks of classification-metrics: compare with the reference, then name the slip.

Expected values come from the reference solution. The alternatives a wrong answer is compared
with (the default threshold, the wrong column of ``predict_proba``, 0/1 labels given to ROC AUC,
the training rows) are recomputed by the judge from the notebook's split (``DATA``) and the
notebook's churn pipeline, refitted here (``_model``). The confusion-matrix figure arrives as a
``records.FigureRecord`` and is read back from the text Yellowbrick writes in its cells, each
cell placed by its row and column labels, and must hold the counts of ``model`` on the test
rows (a figure drawn for another model fails). Every reported number must be what the model
gives; a number that is the right one rounded is called typed in
(:func:`sandbox.grading.provenance.require_metric`).
"""

from __future__ import annotations

import math
import numbers
from typing import Any

from sandbox.grading import CheckContext, DataSpec, Fail, records
from sandbox.grading.compare import describe_type

CATEGORICAL = ["region", "plan", "contract", "payment_method"]
THRESHOLD = 0.3  # the notebook's `threshold`

# The notebook's features are every column but the id, the leaky cancellation column and the
# target; the pipeline selects its columns by name, so their order does not matter.
DATA = DataSpec(
    dataset="churn",
    target="churned",
    drop=("customer_id", "days_since_cancellation_request"),
    test_size=0.25,
    stratify=True,
    random_state=42,
)

# The fitted pipeline, made once: the judge loads this module afresh for each data variant, so it
# always belongs to the data the checks run on.
_MODELS: dict[str, Any] = {}


def _model(ctx: CheckContext) -> Any:
    """The notebook's churn pipeline, fitted on the notebook's training rows (once per data)."""
    key = "fitted"
    if key not in _MODELS:
        from sklearn.compose import ColumnTransformer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import Pipeline
        from sklearn.preprocessing import OneHotEncoder, StandardScaler

        X_train, _, y_train, _ = ctx.split()
        numeric = list(X_train.select_dtypes("number").columns)
        preprocess = ColumnTransformer(
            [
                ("num", StandardScaler(), numeric),
                ("cat", OneHotEncoder(handle_unknown="ignore"), CATEGORICAL),
            ]
        )
        model = Pipeline(
            [("preprocess", preprocess), ("classifier", LogisticRegression(max_iter=1000))]
        )
        _MODELS[key] = model.fit(X_train, y_train)
    return _MODELS[key]


def _number(name: str, value: Any) -> float:
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise Fail(f"`{name}` is {describe_type(value)}; expected a number.")
    return float(value)


def _close(a: float, b: Any) -> bool:
    return math.isclose(a, float(b), rel_tol=1e-6, abs_tol=1e-9)


# ------------------------------------------------------------------------------------ q1


CLASSES = ("stays", "churns")


def _cell_axes(figure: Any) -> Any:
    """The axes of Yellowbrick's confusion matrix in ``figure``, or Fail."""
    if not isinstance(figure, records.FigureRecord):
        raise Fail(
            f"`cm_figure` is {describe_type(figure)}; expected the matplotlib Figure that "
            "`diagnostics.confusion_matrix(...)` returns."
        )
    for ax in figure.axes:
        if "confusion matrix" in ax.title.lower():
            return ax
    raise Fail(
        "`cm_figure` does not show a confusion matrix: draw it with "
        "`diagnostics.confusion_matrix(model, X_train, y_train, X_test, y_test, classes=[...])`."
    )


def _cells_by_class(ax: Any) -> dict[tuple[str, str], int]:
    """{(true class, predicted class): count}, each cell placed by the tick labels of its row
    and column (Yellowbrick draws the rows bottom-up)."""
    cells: dict[tuple[str, str], int] = {}
    for text in ax.texts:
        row, column = int(text.y), int(text.x)
        if not (0 <= row < len(ax.yticklabels) and 0 <= column < len(ax.xticklabels)):
            continue
        cells[(str(ax.yticklabels[row]), str(ax.xticklabels[column]))] = int(text.text.strip())
    return cells


def check_confusion(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    from sklearn.metrics import confusion_matrix

    ax = _cell_axes(answer["cm_figure"])
    cells = [t.text.strip() for t in ax.texts]
    if any(text.endswith("%") for text in cells):
        raise Fail(
            "`cm_figure` shows percentages: leave `percent` at its default (False) to read counts "
            "of customers."
        )
    try:
        total = sum(int(text) for text in cells)
    except ValueError:
        raise Fail("`cm_figure` does not show whole counts in its cells.") from None
    split = ctx.split()
    n_test, n_train = len(split.y_test), len(split.y_train)
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
    if set(map(str, ax.xticklabels)) != set(CLASSES) or set(map(str, ax.yticklabels)) != set(
        CLASSES
    ):
        shown = ", ".join(f'"{label}"' for label in ax.xticklabels)
        raise Fail(
            f"`cm_figure` names its classes {shown}: pass "
            '`classes=["stays", "churns"]` (class 0 first) so its cells can be read.'
        )
    by_class = _cells_by_class(ax)
    tn, fp, fn, tp = (
        int(v) for v in confusion_matrix(split.y_test, _model(ctx).predict(split.X_test)).ravel()
    )
    model_cells = {
        ("stays", "stays"): tn,
        ("stays", "churns"): fp,
        ("churns", "stays"): fn,
        ("churns", "churns"): tp,
    }
    if by_class != model_cells:
        from sandbox.grading.provenance import final_estimator

        drawn = ax.title.replace(" Confusion Matrix", "").strip()
        ours = type(final_estimator(_model(ctx))).__name__
        named = f" (its title names a {drawn})" if drawn and drawn != ours else ""
        raise Fail(
            f"`cm_figure` was drawn for another model than `model`{named}: "
            f"its cells hold {by_class.get(('stays', 'stays'))}, "
            f"{by_class.get(('stays', 'churns'))}, {by_class.get(('churns', 'stays'))}, "
            f"{by_class.get(('churns', 'churns'))} (TN, FP, FN, TP), while `model` gives {tn}, "
            f"{fp}, {fn}, {tp} on the test rows. Draw it with `model` as it is."
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
    for name, got, want, cell in (
        (
            "missed_churners",
            missed,
            want_missed,
            'bottom-left cell: true "churns", predicted "stays"',
        ),
        ("false_alarms", alarms, want_alarms, 'top-right cell: true "stays", predicted "churns"'),
    ):
        if not _close(got, want):
            raise Fail(
                f"`{name}` is {got:g}, but this run's confusion matrix holds {int(want)} there "
                f"({cell}). Verification runs your notebook on fresh data, so count it from the "
                "predictions (`confusion_matrix(y_test, model.predict(X_test)).ravel()` gives "
                "`tn, fp, fn, tp`) rather than typing in a number read off the figure."
            )


# ------------------------------------------------------------------------------------ q2


def check_accuracies(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    from sklearn.metrics import accuracy_score, balanced_accuracy_score

    from sandbox.grading.provenance import require_metric

    split = ctx.split()
    y_test, y_pred = split.y_test, _model(ctx).predict(split.X_test)
    require_metric(
        "accuracy",
        answer["accuracy"],
        lambda: float(accuracy_score(y_test, y_pred)),
        "`accuracy_score(y_test, model.predict(X_test))`",
        slips=[
            (
                lambda: float(balanced_accuracy_score(y_test, y_pred)),
                "`accuracy` is the balanced accuracy: plain accuracy is "
                "`accuracy_score(y_test, y_pred)`.",
            ),
            (
                lambda: float(accuracy_score(split.y_train, _model(ctx).predict(split.X_train))),
                "`accuracy` is measured on the training rows, which the model has already seen: "
                "use `X_test` and `y_test`.",
            ),
        ],
    )
    require_metric(
        "baseline_accuracy",
        answer["baseline_accuracy"],
        lambda: float((y_test == 0).mean()),
        'the share of test customers who stay (always predicting "stays")',
        slips=[
            (
                lambda: float((y_test == 1).mean()),
                '`baseline_accuracy` is the accuracy of always predicting "churns": the baseline '
                'predicts the most common class, "stays" (0), for everyone.',
            ),
        ],
    )
    require_metric(
        "balanced_accuracy",
        answer["balanced_accuracy"],
        lambda: float(balanced_accuracy_score(y_test, y_pred)),
        "`balanced_accuracy_score(y_test, model.predict(X_test))`",
        slips=[
            (
                lambda: float(accuracy_score(y_test, y_pred)),
                "`balanced_accuracy` is the plain accuracy, which is too high when one class is "
                "rare: use `balanced_accuracy_score(y_test, y_pred)`, the mean of the share "
                "recognised within each class.",
            ),
        ],
    )


# ------------------------------------------------------------------------------------ q3


def _flag_metrics(y_true: Any, flags: Any) -> tuple[float, float, float]:
    from sklearn.metrics import f1_score, precision_score, recall_score

    return (
        float(precision_score(y_true, flags, zero_division=0)),
        float(recall_score(y_true, flags, zero_division=0)),
        float(f1_score(y_true, flags, zero_division=0)),
    )


def check_threshold(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    from sandbox.grading.provenance import require_metric

    names = ("precision", "recall", "f1")
    got = tuple(_number(n, answer[n]) for n in names)
    want = tuple(float(expected[n]) for n in names)
    if all(_close(g, w) for g, w in zip(got, want, strict=True)):
        return
    model, split, threshold = _model(ctx), ctx.split(), THRESHOLD
    X_test, y_test = split.X_test, split.y_test
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
        require_metric(
            name,
            g,
            w,
            f"flagging the test customers whose churn probability is at least {threshold}",
        )


# ------------------------------------------------------------------------------------ q4


def check_auc(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    from sklearn.metrics import roc_auc_score

    from sandbox.grading import provenance
    from sandbox.grading.provenance import require_metric

    auc = _number("auc", answer["auc"])
    if _close(auc, expected["auc"]):
        return
    model = _model(ctx)
    X_train, X_test, y_train, y_test = ctx.split()
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
    X, y = ctx.learner_rows()

    def fitted_on_all_rows() -> float:
        refitted = provenance.refit(model, provenance.Rows("all rows", X, y))
        return float(roc_auc_score(y_test, refitted.predict_proba(X_test)[:, 1]))

    require_metric(
        "auc",
        auc,
        float(expected["auc"]),
        "`roc_auc_score(y_test, model.predict_proba(X_test)[:, 1])`",
        slips=[
            (
                fitted_on_all_rows,
                f"`auc` is the ROC AUC of a model fitted on all {len(X):,} rows, test rows "
                "included: it has seen the rows it is scored on. Score `model` as it is, trained "
                "on `X_train` only.",
            ),
        ],
    )
