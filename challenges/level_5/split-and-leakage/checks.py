"""Custom checks of split-and-leakage: each names the classic slip it recognises.

Expected values come from the reference solution. The split the later tasks build on is
declared once (``DATA``) and rebuilt by the judge exactly as the tasks ask for it
(``ctx.split()``), so a wrong answer can be compared with what the usual mistakes produce (the
leaky column kept, no stratification, a scaler fitted on all rows or on the test rows, the
training rows scored) and the message says which mistake it looks like instead of only "too
high".

The model of task 4 is proven, not only scored: it must be a default ``LogisticRegression()``
whose fit a refit on the correctly scaled training rows reproduces (otherwise the message names
the rows it looks fitted on: all rows, the test rows, rows scaled with every row's numbers),
and ``test_accuracy`` must be what that model scores on the learner's own scaled test rows.
When a task's input came from an earlier task that failed, the message says so instead of
blaming the task (``ctx.passed_earlier``).
"""

from __future__ import annotations

import warnings
from typing import Any

from sandbox.grading import CheckContext, DataSpec, Fail
from sandbox.grading.compare import compare_frame, compare_series, compare_value, describe_type

TARGET = "churned"
IDENTIFIER = "customer_id"
LEAK = "days_since_cancellation_request"

# Tasks 1 and 2: the numeric columns but the identifier, the target and the leaky column; a
# stratified quarter of the customers for testing.
DATA = DataSpec(
    dataset="churn",
    target=TARGET,
    drop=(IDENTIFIER, LEAK),
    numeric_only=True,
    test_size=0.25,
    stratify=True,
    random_state=42,
)


def _frame(name: str, value: Any) -> None:
    import pandas as pd

    if not isinstance(value, pd.DataFrame):
        raise Fail(f"`{name}` is {describe_type(value)}; expected a pandas DataFrame.")


def _series(name: str, value: Any) -> None:
    import pandas as pd

    if not isinstance(value, pd.Series):
        raise Fail(f"`{name}` is {describe_type(value)}; expected a pandas Series.")


# ------------------------------------------------------------------------------------ q1


def check_features(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    X, y = answer["X"], answer["y"]
    _frame("X", X)
    columns = [str(c) for c in X.columns]
    if TARGET in columns:
        raise Fail(
            f"`X` contains the target `{TARGET}`: a model given the answer learns nothing. "
            "Drop it from the features."
        )
    if LEAK in columns:
        raise Fail(
            f"`X` contains `{LEAK}`, which is filled in only once a customer has asked to "
            "cancel: it is known only after the outcome, so a model could not use it on the day "
            "it predicts. Drop it."
        )
    if IDENTIFIER in columns:
        raise Fail(
            f"`X` contains `{IDENTIFIER}`, an identifier: a customer number says nothing about "
            "whether someone leaves, and a model would only memorise it. Drop it."
        )
    text = [c for c in columns if not _is_numeric(X[c])]
    if text:
        raise Fail(
            f"`X` holds text column(s) {', '.join(f'`{c}`' for c in text)}: keep the numeric "
            'columns only for now (`.select_dtypes("number")`).'
        )
    compare_frame("X", X, expected["X"], {})
    _series("y", y)
    compare_series("y", y, expected["y"], {})


def _is_numeric(column: Any) -> bool:
    import pandas as pd

    return bool(pd.api.types.is_numeric_dtype(column))


# ------------------------------------------------------------------------------------ q2


def check_split(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    import pandas as pd

    X_train, X_test = answer["X_train"], answer["X_test"]
    y_train, y_test = answer["y_train"], answer["y_test"]
    order = (
        "`train_test_split(X, y, ...)` returns four objects in this order: "
        "`X_train, X_test, y_train, y_test`."
    )
    for name, value, kind in (
        ("X_train", X_train, pd.DataFrame),
        ("X_test", X_test, pd.DataFrame),
        ("y_train", y_train, pd.Series),
        ("y_test", y_test, pd.Series),
    ):
        if not isinstance(value, kind):
            raise Fail(
                f"`{name}` is {describe_type(value)}; expected a pandas {kind.__name__}. {order}"
            )
    total = len(expected["X_train"]) + len(expected["X_test"])
    if len(X_train) + len(X_test) != total:
        raise Fail(
            f"`X_train` and `X_test` hold {len(X_train) + len(X_test)} rows together; split all "
            f"{total} rows of `X`."
        )
    if len(X_test) != len(expected["X_test"]):
        raise Fail(
            f"`X_test` has {len(X_test)} rows; a test set of a quarter of the {total} rows has "
            f"{len(expected['X_test'])} (`test_size=0.25`)."
        )
    for x_name, x, y_name, yy in (
        ("X_train", X_train, "y_train", y_train),
        ("X_test", X_test, "y_test", y_test),
    ):
        if not x.index.equals(yy.index):
            raise Fail(
                f"The rows of `{y_name}` are not those of `{x_name}`: split `X` and `y` in the "
                f"same call so that each customer's features and answer stay together. {order}"
            )
    if set(X_train.index) & set(X_test.index):
        raise Fail("Some rows are in both `X_train` and `X_test`: the two parts must not overlap.")
    if sorted(map(str, X_train.columns)) != sorted(map(str, expected["X_train"].columns)):
        raise Fail(
            "`X_train` does not have the columns of `X`: finish task 1 first, then split `X`."
        )
    if ctx.passed_earlier("q1") is False:
        _split_of_wrong_rows(answer, ctx)
    _rows_of_this_data(answer, ctx)
    churners, want = int(y_test.sum()), int(expected["y_test"].sum())
    if abs(churners - want) > 1:
        overall = (float(y_train.sum()) + churners) / total
        raise Fail(
            f"`y_test` holds {churners} churners ({churners / len(y_test):.1%} of the test rows) "
            f"while {overall:.1%} of all customers churned: the split is not stratified. Pass "
            "`stratify=y` so both parts keep the same share of churners."
        )
    if set(X_test.index) != set(expected["X_test"].index):
        raise Fail(
            "Your split is stratified, but other customers landed in the test set than in the "
            "expected one: pass `random_state=42` so the shuffle is the same every time."
        )


def _rows_of_this_data(answer: dict[str, Any], ctx: CheckContext) -> None:
    """Each part must hold the rows of this run's `X` and `y` at its index labels: parts copied
    from another run of the notebook (or typed in) hold other customers' values."""
    import numpy as np

    X, y = ctx.learner_rows()
    for x_name, y_name in (("X_train", "y_train"), ("X_test", "y_test")):
        part, target = answer[x_name], answer[y_name]
        columns = [c for c in X.columns if str(c) in set(map(str, part.columns))]
        ours = part.set_axis(list(map(str, part.columns)), axis=1)[list(map(str, columns))]
        if not part.index.isin(X.index).all() or not (
            np.allclose(
                ours.to_numpy(dtype=float), X.loc[part.index, columns].to_numpy(dtype=float)
            )
            and np.array_equal(target.to_numpy(), y.loc[target.index].to_numpy())
        ):
            raise Fail(
                f"`{x_name}` and `{y_name}` do not hold the rows of this run's `X` and `y` at "
                "their index labels: split the `X` and `y` the notebook computes in task 1 with "
                "`train_test_split`, rather than copying a split made elsewhere."
            )


def _split_of_wrong_rows(answer: dict[str, Any], ctx: CheckContext) -> None:
    """Task 1 failed: say so when the split itself is right for the learner's own `X`, `y`."""
    from sklearn.model_selection import train_test_split

    X, y = ctx.answer("X"), ctx.answer("y")
    try:
        _, want_test, _, _ = train_test_split(X, y, test_size=0.25, stratify=y, random_state=42)
    except Exception:
        return
    if set(answer["X_test"].index) == set(want_test.index):
        raise Fail(
            "Your split is done right, but it splits your `X` and `y` from task 1, which failed: "
            "fix task 1 first; this split then passes as it is."
        )


# ------------------------------------------------------------------------------------ q3


def _inputs(ctx: CheckContext, *, earlier: str = "q2") -> tuple[Any, Any, Any, Any, bool]:
    """The rows a task builds on: the learner's own split when task 2 failed and it is usable
    (so the task is judged on its own input), else the split the prompt asks for. The flag
    says the learner's (wrong) split is used."""
    import pandas as pd

    names = ("X_train", "X_test", "y_train", "y_test")
    if ctx.passed_earlier(earlier) is False:
        mine = [ctx.answer(n) for n in names]
        judge = ctx.split()
        if all(
            isinstance(v, pd.DataFrame if n.startswith("X") else pd.Series)
            for n, v in zip(names, mine, strict=True)
        ) and list(map(str, mine[0].columns)) == list(map(str, judge.X_train.columns)):
            return mine[0], mine[1], mine[2], mine[3], True
    X_train, X_test, y_train, y_test = ctx.split()
    return X_train, X_test, y_train, y_test, False


def _matrix(name: str, value: Any, rows: int, columns: int) -> Any:
    import numpy as np

    try:
        matrix = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise Fail(f"`{name}` is {describe_type(value)}; expected a table of numbers.") from None
    if matrix.shape != (rows, columns):
        raise Fail(
            f"`{name}` has shape {matrix.shape}; expected ({rows}, {columns}): one row per "
            "customer of that part, one column per feature."
        )
    return matrix


def check_scaling(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    import numpy as np
    from sklearn.preprocessing import StandardScaler

    scaler = answer["scaler"]
    X_train, X_test, _, _, from_failed_split = _inputs(ctx)
    n_train, n_test, width = len(X_train), len(X_test), X_train.shape[1]
    if not isinstance(scaler, StandardScaler):
        raise Fail(f"`scaler` is {describe_type(scaler)}; expected a `StandardScaler()`.")
    if not hasattr(scaler, "n_samples_seen_"):
        raise Fail("`scaler` is not fitted yet: call `scaler.fit(X_train)`.")
    seen = int(np.max(scaler.n_samples_seen_))
    if seen == n_train + n_test:
        raise Fail(
            f"`scaler` learned its means and standard deviations from all {seen} rows, "
            f"including the {n_test} test rows: the test set leaks into the training data. Fit "
            "it on `X_train` only, then transform both parts."
        )
    if seen == n_test:
        raise Fail(
            f"`scaler` learned from the {n_test} test rows. Fit it on `X_train`; the test rows "
            "are only transformed, with the training rows' numbers."
        )
    if seen != n_train or not np.allclose(scaler.mean_, X_train.mean().to_numpy()):
        if ctx.passed_earlier("q2") is None and ctx.answer("X_train") is None:
            raise Fail(
                f"`scaler` learned from {seen} rows that are not the training rows task 2 asks "
                f"for ({n_train} rows): check task 2 first, then fit the scaler on `X_train`."
            )
        raise Fail(
            f"`scaler` learned from {seen} rows that are not `X_train`: fit it on `X_train` "
            f"({n_train} rows)."
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # feature names, whichever way it was fitted
        want_train = scaler.transform(X_train)
        want_test = scaler.transform(X_test)
    got_train = _matrix("X_train_scaled", answer["X_train_scaled"], n_train, width)
    if not np.allclose(got_train, want_train):
        raise Fail("`X_train_scaled` is not the training rows transformed by `scaler`.")
    got_test = _matrix("X_test_scaled", answer["X_test_scaled"], n_test, width)
    if np.allclose(got_test, want_test):
        if from_failed_split:
            raise Fail(
                "`scaler`, `X_train_scaled` and `X_test_scaled` are done right for your "
                "`X_train` and `X_test`, but those come from task 2, which failed: fix task 2 "
                "first; this task then passes as it is."
            )
        return
    if np.allclose(got_test.mean(axis=0), 0.0, atol=1e-9):
        raise Fail(
            "`X_test_scaled` was standardised with its own mean and standard deviation (its "
            "columns average exactly 0): a scaler was fitted on the test rows. Use "
            "`scaler.transform(X_test)`, so the test rows get the training rows' numbers."
        )
    raise Fail(
        "`X_test_scaled` is not the test rows transformed by `scaler`: use `scaler.transform(X_test)`."
    )


# ------------------------------------------------------------------------------------ q4


def _scaled_candidates(ctx: CheckContext) -> tuple[Any, list[Any], Any]:
    """The rows task 4 prescribes (the training rows scaled with their own numbers), the rows a
    wrongly fitted model would have learned from, and the rows to compare predictions on."""
    from sklearn.preprocessing import StandardScaler

    from sandbox.grading.provenance import Rows

    X_train, X_test, y_train, y_test = ctx.split()
    X, y = ctx.learner_rows()
    honest = StandardScaler().fit(X_train)
    everything = StandardScaler().fit(X)
    prescribed = Rows("`X_train_scaled`, `y_train`", honest.transform(X_train), y_train)
    others = [
        Rows(
            f"all {len(X):,} rows, test rows included",
            everything.transform(X),
            y,
            "an honest score needs test rows the model never saw",
        ),
        Rows(
            "the training rows scaled with numbers learned from all rows",
            everything.transform(X_train),
            y_train,
            "that scaler saw the test rows, so they leak into the model",
        ),
        Rows(
            f"the {len(X_test):,} test rows",
            honest.transform(X_test),
            y_test,
            "the test rows are for scoring, never for fitting",
        ),
        Rows(
            f"the {len(X_test):,} test rows",
            StandardScaler().fit_transform(X_test),
            y_test,
            "the test rows are for scoring, never for fitting",
        ),
        Rows(
            "the unscaled training rows",
            X_train.to_numpy(),
            y_train,
            "train it on the scaled rows, which it is then given to predict",
        ),
    ]
    return prescribed, others, honest.transform(X)


def _learner_rows(ctx: CheckContext, name: str, fallback: Any) -> Any:
    """The learner's own variable of an earlier task, or the prescribed rows when it was not
    handed over (an inline check of one task exports only that task's variables)."""
    value = ctx.answer(name)
    return fallback if value is None else value


def check_accuracy(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    import numpy as np

    from sandbox.grading import provenance
    from sandbox.grading.provenance import Rows

    model = answer["model"]
    prescribed, others, on = _scaled_candidates(ctx)
    provenance.require_estimator("model", model, "LogisticRegression()", rows=prescribed)
    provenance.require_fitted("model", model, "call `model.fit(X_train_scaled, y_train)`")
    X_test, y_test = ctx.split().X_test, ctx.split().y_test
    mine_train = _learner_rows(ctx, "X_train_scaled", prescribed.X)
    mine_y = _learner_rows(ctx, "y_train", prescribed.y)
    try:
        own = Rows(
            "your `X_train_scaled`, `y_train`",
            np.asarray(mine_train, dtype=float),
            np.asarray(mine_y),
        )
        differs = own.X.shape != prescribed.X.shape or not np.allclose(own.X, prescribed.X)
    except (TypeError, ValueError):
        differs = False
    if differs and provenance.matches_fit(model, own, on):
        failed = [t for t in ("q2", "q3") if ctx.passed_earlier(t) is False]
        which = f"task {failed[0][1]}, which failed" if failed else "the earlier tasks"
        raise Fail(
            "`model` is fitted right on your `X_train_scaled` and `y_train`, but those are not "
            f"the scaled training rows yet (they come from {which}): fix that first; this "
            "task then passes as it is."
        )
    provenance.require_fitted_on("model", model, prescribed, others, on)

    # The accuracy must be the learner's model scored on the learner's own scaled test rows.
    mine_test = _learner_rows(ctx, "X_test_scaled", prescribed.X)
    mine_y_test = _learner_rows(ctx, "y_test", y_test)
    if ctx.answer("X_test_scaled") is None:
        from sklearn.preprocessing import StandardScaler

        mine_test = StandardScaler().fit(ctx.split().X_train).transform(X_test)

    def score(X: Any, y: Any) -> float:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # feature names, however it was fitted
            return float(model.score(X, y))

    provenance.require_metric(
        "test_accuracy",
        answer["test_accuracy"],
        lambda: score(mine_test, mine_y_test),
        "`model.score(X_test_scaled, y_test)`",
        slips=[
            (
                lambda: score(mine_train, mine_y),
                "`test_accuracy` is the accuracy on the training rows, which the model has "
                "already seen. Score it on `X_test_scaled` and `y_test`.",
            ),
            (
                lambda: score(X_test.to_numpy(), y_test),
                "`test_accuracy` comes from the unscaled `X_test`: the model learned from scaled "
                "numbers, so it must be given `X_test_scaled`.",
            ),
        ],
    )
    compare_value("test_accuracy", answer["test_accuracy"], expected["test_accuracy"], {})
