"""Custom checks of regression-and-cross-validation: compare with the reference, name the slip.

Expected values come from the reference solution; the alternatives a wrong answer is compared
with (metrics on the training rows, MSE for RMSE, swapped arguments, flipped residuals,
unshuffled folds, a negated MAE) are recomputed by the judge from the notebook's split
(``DATA``) and the model task 1 asks for, refitted here (``_model``). The residual plot arrives
as a ``records.FigureRecord`` and is read back from its legend and its points.

Task 1's model is proven, not only typed-checked: a ``LinearRegression()`` whose refit on
``X_train`` reproduces it (otherwise the message names the rows it looks fitted on), and its
metrics must be what that model gives on the test rows. The residual plot's points must be
``model``'s predictions and residuals (a plot of another model fails). A number that is the
right one rounded is called typed in (:func:`sandbox.grading.provenance.require_metric`).
"""

from __future__ import annotations

import math
import numbers
import re
from typing import Any

from sandbox.grading import CheckContext, DataSpec, Fail, records
from sandbox.grading.compare import compare_value, describe_type

LABELS = ["low", "mid", "high"]
LEGEND_R2 = re.compile(r"^(Train|Test)\b.*?=\s*(-?\d+(?:\.\d+)?)")
READ_TOLERANCE = 0.0006  # a value read off the legend, shown with three decimals
FOLDS = 5

# The notebook's split: every column but the target, a quarter of the patients for testing.
DATA = DataSpec(
    dataset="diabetes", target="target", test_size=0.25, stratify=False, random_state=42
)


# The fitted model, made once: the judge loads this module afresh for each data variant, so it
# always belongs to the data the checks run on.
_MODELS: dict[str, Any] = {}


def _model(ctx: CheckContext) -> Any:
    """The LinearRegression task 1 asks for, fitted on the notebook's training rows (once per
    data)."""
    key = "fitted"
    if key not in _MODELS:
        from sklearn.linear_model import LinearRegression

        split = ctx.split()
        _MODELS[key] = LinearRegression().fit(split.X_train, split.y_train)
    return _MODELS[key]


def _number(name: str, value: Any) -> float:
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise Fail(f"`{name}` is {describe_type(value)}; expected a number.")
    return float(value)


def _close(a: float, b: Any, rtol: float = 1e-6) -> bool:
    return math.isclose(a, float(b), rel_tol=rtol, abs_tol=1e-9)


def _first_slip(got: float, slips: list[tuple[Any, str]]) -> None:
    for value, message in slips:
        if _close(got, value):
            raise Fail(message)


# ------------------------------------------------------------------------------------ q1


def check_fit(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    import warnings

    from sklearn.metrics import (
        mean_absolute_error,
        mean_squared_error,
        r2_score,
        root_mean_squared_error,
    )

    from sandbox.grading import provenance
    from sandbox.grading.provenance import require_metric

    model = answer["model"]
    ctx.require_estimator("model", model, "LinearRegression()")
    provenance.require_fitted("model", model, "call `model.fit(X_train, y_train)`")
    X_train, X_test, y_train, y_test = ctx.split()
    if getattr(model, "n_features_in_", None) != X_train.shape[1]:
        raise Fail(f"`model` was fitted on other columns than the {X_train.shape[1]} of `X_train`.")
    ctx.require_fitted_on("model", model)

    # The metrics are those of the learner's own model on the test rows.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # feature names, however it was fitted
        pred, train_pred = model.predict(X_test), model.predict(X_train)
    on_train = "is measured on the training rows, which the model has already seen: use `X_test` and `y_test`."
    require_metric(
        "mae",
        answer["mae"],
        lambda: float(mean_absolute_error(y_test, pred)),
        "`mean_absolute_error(y_test, model.predict(X_test))`",
        slips=[(lambda: float(mean_absolute_error(y_train, train_pred)), f"`mae` {on_train}")],
    )
    require_metric(
        "rmse",
        answer["rmse"],
        lambda: float(root_mean_squared_error(y_test, pred)),
        "`root_mean_squared_error(y_test, model.predict(X_test))`",
        slips=[
            (
                lambda: float(mean_squared_error(y_test, pred)),
                "`rmse` is the mean squared error, in squared units: take its square root "
                "(`root_mean_squared_error`).",
            ),
            (lambda: float(root_mean_squared_error(y_train, train_pred)), f"`rmse` {on_train}"),
        ],
    )
    require_metric(
        "r2",
        answer["r2"],
        lambda: float(r2_score(y_test, pred)),
        "`r2_score(y_test, model.predict(X_test))`",
        slips=[
            (lambda: float(r2_score(y_train, train_pred)), f"`r2` {on_train}"),
            (
                lambda: float(r2_score(pred, y_test)),
                "`r2` has its arguments swapped: metric functions take the true values first, "
                "`r2_score(y_test, y_pred)`; for R² the order changes the result.",
            ),
        ],
    )
    for name in ("mae", "rmse", "r2"):
        compare_value(name, answer[name], expected[name], {})


# ------------------------------------------------------------------------------------ q2


def _values(name: str, value: Any) -> Any:
    import numpy as np

    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__"):
        raise Fail(f"`{name}` is {describe_type(value)}; expected a pandas Series.")
    try:
        return np.asarray(value, dtype=float).ravel()
    except (TypeError, ValueError):
        raise Fail(f"`{name}` is {describe_type(value)}; expected a Series of numbers.") from None


def _spread_alternatives(residuals: Any, pred: Any, truth: Any) -> list[tuple[Any, str]]:
    import pandas as pd

    return [
        (
            residuals.groupby(pd.qcut(truth, 3, labels=LABELS), observed=True).std(),
            "`residual_spread` groups the residuals by thirds of the *true* values (`y_test`). "
            "Group them by thirds of the predictions: `pd.qcut(y_pred, 3, labels=[...])`.",
        ),
        (
            residuals.groupby(pd.cut(pred, 3, labels=LABELS), observed=True).std(),
            "`residual_spread` uses `pd.cut`, which makes three ranges of equal width holding "
            "different numbers of patients. `pd.qcut` makes three groups of equal size.",
        ),
    ]


def check_residuals(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    import numpy as np
    import pandas as pd

    split = ctx.split()
    want = np.asarray(expected["residuals"], dtype=float)
    got = _values("residuals", answer["residuals"])
    if len(got) == len(split.y_train):
        raise Fail(
            f"`residuals` has {len(got)} values, one per training row: compute them on the "
            f"{len(want)} test rows."
        )
    if len(got) != len(want):
        raise Fail(f"`residuals` has {len(got)} values; expected {len(want)}, one per test row.")
    if np.allclose(got, -want):
        raise Fail(
            "`residuals` has the opposite sign: a residual is actual − predicted, "
            "`y_test - y_pred`."
        )
    if not np.allclose(got, want):
        raise Fail(
            "`residuals` is not `y_test - y_pred` for the predictions of `model` on `X_test`."
        )
    if not isinstance(answer["residuals"], pd.Series):
        raise Fail(
            "`residuals` holds the right numbers but is not a Series: `y_test - y_pred` keeps the "
            "patients' index."
        )

    spread = answer["residual_spread"]
    if not isinstance(spread, pd.Series):
        raise Fail(f"`residual_spread` is {describe_type(spread)}; expected a pandas Series.")
    labels = [str(label) for label in spread.index]
    if labels != LABELS:
        raise Fail(
            f"`residual_spread` is indexed {labels}; expected {LABELS}, in that order: cut the "
            'predictions with `pd.qcut(y_pred, 3, labels=["low", "mid", "high"])`.'
        )
    got_spread = spread.to_numpy(dtype=float)
    pred, truth = _model(ctx).predict(split.X_test), split.y_test
    residuals = truth - pred
    groups = pd.qcut(pred, 3, labels=LABELS)
    accepted = [
        np.asarray(expected["residual_spread"], dtype=float),
        residuals.groupby(groups, observed=True).std(ddof=0).to_numpy(dtype=float),
    ]
    if any(np.allclose(got_spread, ok) for ok in accepted):
        return
    for values, message in _spread_alternatives(residuals, pred, truth):
        if np.allclose(got_spread, values.to_numpy(dtype=float)):
            raise Fail(message)
    raise Fail(
        "`residual_spread` is not the standard deviation of `residuals` within each third of "
        "the predictions: `residuals.groupby(pd.qcut(y_pred, 3, labels=[...])).std()`."
    )


# ------------------------------------------------------------------------------------ q3


def _legend_r2(figure: Any) -> dict[str, float]:
    """{"Train": r2, "Test": r2} read from the legend of Yellowbrick's residual plot, or Fail."""
    if not isinstance(figure, records.FigureRecord):
        raise Fail(
            f"`residuals_figure` is {describe_type(figure)}; expected the matplotlib Figure that "
            "`diagnostics.residuals_plot(...)` returns."
        )
    for ax in figure.axes:
        if "residuals" not in ax.title.lower() or not ax.legend:
            continue
        found: dict[str, float] = {}
        for text in ax.legend:
            match = LEGEND_R2.match(text.strip())
            if match:
                found[match.group(1)] = float(match.group(2))
        if set(found) == {"Train", "Test"}:
            return found
        raise Fail(
            "`residuals_figure` should show the training and the test rows: pass "
            "`model, X_train, y_train, X_test, y_test`."
        )
    raise Fail(
        "`residuals_figure` is not a residual plot: draw it with "
        "`diagnostics.residuals_plot(model, X_train, y_train, X_test, y_test)`."
    )


def _points_of(figure: Any, model: Any, split: Any) -> None:
    """Fail unless the plot's points are ``model``'s predictions and (predicted − actual)
    residuals on the training and the test rows (the points Yellowbrick draws)."""
    import warnings

    import numpy as np

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # feature names, however it was fitted
        wanted = []
        for X, y in ((split.X_train, split.y_train), (split.X_test, split.y_test)):
            pred = np.asarray(model.predict(X), dtype=float)
            wanted.append(np.column_stack([pred, pred - np.asarray(y, dtype=float)]))
    for ax in figure.axes:
        if "residuals" not in ax.title.lower():
            continue
        drawn = [np.asarray(c, dtype=float) for c in ax.collections]
        for points in wanted:
            if not any(
                d.shape == points.shape
                and np.allclose(np.sort(d, axis=0), np.sort(points, axis=0), atol=1e-6)
                for d in drawn
            ):
                raise Fail(
                    "`residuals_figure` was drawn for another model than `model`: its points "
                    "are not `model`'s predictions and residuals. Draw it with `model` as it is, "
                    "`diagnostics.residuals_plot(model, X_train, y_train, X_test, y_test)`."
                )
        return


def check_residual_plot(
    answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext
) -> None:
    import warnings

    shown = _legend_r2(answer["residuals_figure"])
    want = float(expected["train_r2_shown"])
    split = ctx.split()
    model = ctx.answer("model")  # the figure claims to show the learner's own model
    if not hasattr(model, "predict"):
        model = _model(ctx)
    _points_of(answer["residuals_figure"], model, split)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # feature names, however it was fitted
        train_r2 = round(float(model.score(split.X_train, split.y_train)), 3)
        test_r2 = round(float(model.score(split.X_test, split.y_test)), 3)
    if abs(shown["Train"] - train_r2) > READ_TOLERANCE:
        raise Fail(
            f"The legend of `residuals_figure` shows a training R² of {shown['Train']:.3f}: it was "
            "not drawn with the training rows as training rows. Pass `model, X_train, y_train, "
            "X_test, y_test`, in that order."
        )
    read = _number("train_r2_shown", answer["train_r2_shown"])
    if abs(read - train_r2) > READ_TOLERANCE:
        if abs(read - test_r2) <= READ_TOLERANCE:
            raise Fail(
                "`train_r2_shown` is the test R² (the green entry of the legend). Read the "
                "training R², the blue entry marked Train."
            )
        raise Fail(
            f"`train_r2_shown` is {read:g}, but this run's legend shows a training R² of "
            f"{train_r2:.3f}. Verification runs your notebook on fresh data, so compute it "
            "(`round(model.score(X_train, y_train), 3)` is the number the entry marked Train "
            "shows) rather than typing in a number read off the figure."
        )
    read_test = _number("test_r2_shown", answer["test_r2_shown"])
    if abs(read_test - test_r2) > READ_TOLERANCE:
        if abs(read_test - train_r2) <= READ_TOLERANCE:
            raise Fail(
                "`test_r2_shown` is the training R² (the blue entry of the legend). Read the "
                "test R², the green entry marked Test."
            )
        raise Fail(
            f"`test_r2_shown` is {read_test:g}, but this run's legend shows a test R² of "
            f"{test_r2:.3f}. Verification runs your notebook on fresh data, so compute it "
            "(`round(model.score(X_test, y_test), 3)` is the number the entry marked Test "
            "shows) rather than typing in a number read off the figure."
        )
    if abs(read - want) > READ_TOLERANCE:
        # Read right off a figure of the learner's model, which is not task 1's model.
        raise Fail(
            f"`residuals_figure` and `train_r2_shown` ({read:g}) show your `model`, which is not "
            f"the model task 1 asks for (its training R² is {want:.3f})."
        )


# ------------------------------------------------------------------------------------ q4


def check_cv(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    from sklearn.linear_model import LinearRegression
    from sklearn.model_selection import KFold, cross_validate

    from sandbox.grading.provenance import require_metric

    r2_mean = _number("cv_r2_mean", answer["cv_r2_mean"])
    r2_std = _number("cv_r2_std", answer["cv_r2_std"])
    mae_mean = _number("cv_mae_mean", answer["cv_mae_mean"])
    X_train, _, y_train, _ = ctx.split()
    X, y = ctx.learner_rows()
    scoring = ["r2", "neg_mean_absolute_error"]
    shuffled = KFold(n_splits=FOLDS, shuffle=True, random_state=0)

    if not _close(r2_mean, expected["cv_r2_mean"]):
        unshuffled = cross_validate(
            LinearRegression(),
            X_train,
            y_train,
            cv=KFold(n_splits=FOLDS),
            scoring=scoring,
        )
        all_rows = cross_validate(
            LinearRegression(),
            X,
            y,
            cv=shuffled,
            scoring=scoring,
        )
        _first_slip(
            r2_mean,
            [
                (
                    unshuffled["test_r2"].mean(),
                    "`cv_r2_mean` comes from folds that were not shuffled (`cv=5` or "
                    "`KFold(n_splits=5)`): each fold is then a block of consecutive rows. Use "
                    "`KFold(n_splits=5, shuffle=True, random_state=0)`.",
                ),
                (
                    all_rows["test_r2"].mean(),
                    f"`cv_r2_mean` cross-validates all {len(X)} patients, test rows "
                    "included: cross-validate `X_train`, `y_train` and keep the test rows for "
                    "the end.",
                ),
            ],
        )
        require_metric(
            "cv_r2_mean",
            r2_mean,
            float(expected["cv_r2_mean"]),
            "the mean of the fold R² of `cross_validate`",
        )
    if not _close(r2_std, expected["cv_r2_std"]):
        # pandas' .std() divides by n - 1 where numpy's divides by n: both are accepted.
        fold_r2 = cross_validate(LinearRegression(), X_train, y_train, cv=shuffled, scoring="r2")[
            "test_score"
        ]
        if not _close(r2_std, fold_r2.std(ddof=1)):
            require_metric(
                "cv_r2_std",
                r2_std,
                float(expected["cv_r2_std"]),
                "the standard deviation of the fold R²",
            )
    want_mae = float(expected["cv_mae_mean"])
    if _close(mae_mean, -want_mae):
        raise Fail(
            '`cv_mae_mean` is negative: scikit-learn scorers follow "greater is better", so '
            "`test_neg_mean_absolute_error` holds −MAE. Flip the sign to report the MAE."
        )
    require_metric(
        "cv_mae_mean", mae_mean, want_mae, "minus the mean of `test_neg_mean_absolute_error`"
    )
