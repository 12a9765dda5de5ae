"""Custom checks of pipelines-column-transformer, and the rows the grader keeps.

``holdout_rows`` returns customers no notebook can load: drawn by the churn generator with a
seed of the judge's own process (``DataSpec(unseen_rows=...)``), as they look on the day of
prediction: without the leaky ``days_since_cancellation_request``, so a pipeline that uses it
cannot score them and says which column it misses. Task 3's model is proven by the
``estimator`` check kind: a ``LogisticRegression(max_iter=1000)`` at the end of a pipeline
whose refit on ``X_train`` reproduces it (preprocessing included), scoring on those rows.

The ColumnTransformer is judged by what it does to the training rows, not by how it is
written: each numeric feature must come out standardised, each categorical one as 0/1
indicator columns, nothing else may pass, and an unseen category must not raise. The
cross-validation scores are compared with the reference, then with what the usual slips
(unshuffled folds, plain KFold, the default accuracy scoring, all rows) give for the pipeline
the tasks describe. The learner's rows and split are declared once (``DATA``) and rebuilt by
the judge exactly as the notebook builds them (``ctx.learner_rows()``, ``ctx.split()``).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

from sandbox.grading import CheckContext, DataSpec, Fail
from sandbox.grading.compare import compare_set, describe_type

TARGET = "churned"
IDENTIFIER = "customer_id"
LEAK = "days_since_cancellation_request"
UNSEEN_REGION = "central"  # a category no customer has

# The notebook's rows: every column of all 2,500 customers (choosing the features is task 1),
# a stratified quarter for testing; 2,000 unseen customers drawn by the judge for scoring.
DATA = DataSpec(
    dataset="churn",
    target=TARGET,
    unseen_rows=2_000,
    test_size=0.25,
    stratify=True,
    random_state=42,
)


def holdout_rows(ctx: CheckContext) -> tuple[Any, Any]:
    """The customers the notebook filters out, without the column only known after churning."""
    X, y = ctx.holdout()
    return X.drop(columns=[LEAK]), y


def _features(X: Any) -> tuple[list[str], list[str]]:
    """The numeric and the text feature columns: everything but the identifier and the leak."""
    numeric = [str(c) for c in X.select_dtypes("number").columns if c not in (IDENTIFIER, LEAK)]
    text = [str(c) for c in X.select_dtypes(exclude="number").columns]
    return numeric, text


def _reference_model(ctx: CheckContext) -> Any:
    """The pipeline task 3 describes (unfitted)."""
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    numeric, categorical = _features(ctx.learner_rows()[0])
    preprocess = ColumnTransformer(
        [
            ("num", StandardScaler(), numeric),
            ("cat", OneHotEncoder(handle_unknown="ignore"), categorical),
        ]
    )
    return Pipeline([("preprocess", preprocess), ("classifier", LogisticRegression(max_iter=1000))])


# ------------------------------------------------------------------------------------ q1


def check_feature_lists(
    answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext
) -> None:
    for name in ("numeric_features", "categorical_features"):
        value = answer[name]
        if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
            raise Fail(f"`{name}` is {describe_type(value)}; expected a list of column names.")
        names = [str(v) for v in value]
        if LEAK in names:
            raise Fail(
                f"`{name}` lists `{LEAK}`, which is filled in only once a customer has asked to "
                "cancel: it is unknown on the day you predict. Leave it out."
            )
        if IDENTIFIER in names:
            raise Fail(
                f"`{name}` lists `{IDENTIFIER}`, an identifier: a customer number says nothing "
                "about whether someone leaves. Leave it out."
            )
        if TARGET in names:
            raise Fail(f"`{name}` lists the target `{TARGET}`: it is the answer, not a feature.")
        compare_set(name, names, expected[name], {})


# ------------------------------------------------------------------------------------ q2


def _column_names(columns: Any, frame: Any) -> list[str]:
    """Resolve a fitted ColumnTransformer's column spec to column names of ``frame``."""
    import numpy as np

    if isinstance(columns, str):
        return [columns]
    if isinstance(columns, slice):
        return [str(c) for c in frame.columns[columns]]
    items = list(np.atleast_1d(np.asarray(columns, dtype=object)))
    if items and all(isinstance(i, (bool, np.bool_)) for i in items):
        return [str(c) for c, keep in zip(frame.columns, items, strict=True) if keep]
    if items and all(isinstance(i, (int, np.integer)) for i in items):
        return [str(frame.columns[int(i)]) for i in items]
    return [str(i) for i in items]


def _used_columns(fitted: Any, frame: Any) -> set[str]:
    used: set[str] = set()
    for _name, transformer, columns in fitted.transformers_:
        if isinstance(transformer, str) and transformer == "drop":
            continue
        used.update(_column_names(columns, frame))
    return used


def _dense(matrix: Any) -> Any:
    import numpy as np

    if hasattr(matrix, "toarray"):
        matrix = matrix.toarray()
    return np.asarray(matrix, dtype=float)


def _has_column(matrix: Any, wanted: Any) -> bool:
    import numpy as np

    return bool(np.any(np.all(np.isclose(matrix, wanted[:, None], atol=1e-6), axis=0)))


def _quote(names: list[str]) -> str:
    return ", ".join(f"`{n}`" for n in names)


def check_preprocess(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    from sklearn.base import clone
    from sklearn.compose import ColumnTransformer

    preprocess = answer["preprocess"]
    if not isinstance(preprocess, ColumnTransformer):
        raise Fail(
            f"`preprocess` is {describe_type(preprocess)}; expected a `ColumnTransformer([...])`."
        )
    X_train = ctx.split().X_train
    numeric, categorical = _features(X_train)
    fitted = clone(preprocess)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            prepared = _dense(fitted.fit_transform(X_train))
    except Exception as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        advice = (
            " A text column reached a step that needs numbers: scale only the numeric columns "
            "and one-hot encode the text ones."
            if "could not convert string" in str(exc)
            else ""
        )
        raise Fail(
            f"Fitting `preprocess` on `X_train` raised {type(exc).__name__}: {detail}.{advice}"
        ) from None

    used = _used_columns(fitted, X_train)
    if LEAK in used:
        raise Fail(
            f"`preprocess` passes `{LEAK}` to the model. It is filled in only once a customer "
            "has asked to cancel, so it is unknown on the day you predict: leave it out of your "
            'column lists (and keep the default `remainder="drop"`).'
        )
    if IDENTIFIER in used:
        raise Fail(
            f"`preprocess` passes `{IDENTIFIER}`, an identifier, to the model: leave it out of "
            'your column lists (and keep the default `remainder="drop"`).'
        )
    missing = [c for c in numeric + categorical if c not in used]
    if missing:
        raise Fail(
            f"`preprocess` leaves out {_quote(missing)}: give every numeric feature to the "
            "scaler and every categorical one to the encoder."
        )

    for column in numeric:
        values = X_train[column].to_numpy(dtype=float)
        scaled = (values - values.mean()) / values.std()
        if _has_column(prepared, scaled):
            continue
        if _has_column(prepared, values):
            raise Fail(
                f"`{column}` reaches the model unscaled: send the numeric features through a "
                "`StandardScaler()`."
            )
        raise Fail(
            f"No output column of `preprocess` is `{column}` standardised: send the numeric "
            "features through a `StandardScaler()`."
        )
    for column in categorical:
        categories = sorted(X_train[column].unique())
        found = sum(
            _has_column(prepared, (X_train[column] == value).to_numpy(dtype=float))
            for value in categories
        )
        if found < len(categories) - 1:
            raise Fail(
                f"`{column}` is not one-hot encoded: its {len(categories)} categories should "
                "become 0/1 columns. Send the categorical features through a `OneHotEncoder`."
            )

    new_customer = X_train.head(1).assign(region=UNSEEN_REGION)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fitted.transform(new_customer)
    except Exception:
        raise Fail(
            f"`preprocess` raises on a category it never saw in training (a customer from a new "
            f"region, {UNSEEN_REGION!r}): create the encoder with "
            '`OneHotEncoder(handle_unknown="ignore")`.'
        ) from None


# ------------------------------------------------------------------------------------ q4


def _scores(name: str, value: Any, folds: int) -> list[float]:
    import numbers

    if isinstance(value, dict):
        raise Fail(
            f"`{name}` is a dict (from `cross_validate`?); expected the array of {folds} scores "
            "that `cross_val_score` returns."
        )
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise Fail(f"`{name}` is {describe_type(value)}; expected an array of {folds} scores.")
    items = list(value)
    if not all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in items):
        raise Fail(f"`{name}` should hold numbers, one score per fold.")
    if len(items) != folds:
        raise Fail(
            f"`{name}` has {len(items)} scores; expected {folds}, one per fold (`n_splits=5`)."
        )
    return [float(v) for v in items]


def _same(got: list[float], want: Any) -> bool:
    return all(
        math.isclose(g, float(w), rel_tol=1e-6, abs_tol=1e-9)
        for g, w in zip(got, want, strict=True)
    )


def _typed_in(got: list[float], want: list[float]) -> bool:
    """The scores rounded to a few decimals, as a printed array shows them."""
    return any(
        all(math.isclose(g, round(w, digits), abs_tol=1e-9) for g, w in zip(got, want, strict=True))
        for digits in (1, 2, 3, 4, 5)
    )


def _learner_cv(ctx: CheckContext, stratified: Any) -> list[float] | None:
    """The scores of cross-validating the learner's own `model` (a clone per fold, as
    `cross_val_score` does), or None when it cannot be cross-validated."""
    from sklearn.model_selection import cross_val_score

    model = ctx.answer("model")
    if not hasattr(model, "get_params"):
        return None
    X_train, _, y_train, _ = ctx.split()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            scores = cross_val_score(model, X_train, y_train, cv=stratified, scoring="roc_auc")
    except Exception:
        return None
    return [float(v) for v in scores]


def check_cv_scores(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    from sklearn.model_selection import KFold, StratifiedKFold, cross_val_score

    want = list(expected["cv_scores"])
    got = _scores("cv_scores", answer["cv_scores"], len(want))
    if _same(got, want):
        return
    stratified = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    yours = _learner_cv(ctx, stratified)
    if yours is not None and _same(got, yours) and ctx.passed_earlier("q3") is False:
        raise Fail(
            "`cv_scores` cross-validates your `model` right, but `model` comes from task 3, "
            "which failed: fix task 3 first; these scores then follow."
        )
    if _typed_in(got, want):
        raise Fail(
            "`cv_scores` holds the fold scores rounded, as a printed array shows them: store "
            "what `cross_val_score` returns, not numbers typed in from the output."
        )
    model = _reference_model(ctx)
    X_train, _, y_train, _ = ctx.split()
    X, y = ctx.learner_rows()

    def run(X: Any, y: Any, cv: Any, scoring: str = "roc_auc") -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return cross_val_score(model, X, y, cv=cv, scoring=scoring)

    slips: list[tuple[Callable[[], Any], str]] = [
        (
            lambda: run(X_train, y_train, StratifiedKFold(n_splits=5)),
            "`cv_scores` comes from folds that were not shuffled (`cv=5` or "
            "`StratifiedKFold(n_splits=5)`): each fold is then a block of consecutive rows. Use "
            "`StratifiedKFold(n_splits=5, shuffle=True, random_state=0)`.",
        ),
        (
            lambda: run(X_train, y_train, KFold(n_splits=5, shuffle=True, random_state=0)),
            "`cv_scores` comes from plain `KFold`, whose folds can hold different shares of "
            "churners. Use `StratifiedKFold(n_splits=5, shuffle=True, random_state=0)`.",
        ),
        (
            lambda: run(X_train, y_train, stratified, "accuracy"),
            "`cv_scores` holds accuracies, the default score of a classifier: pass "
            '`scoring="roc_auc"`.',
        ),
        (
            lambda: run(X, y, stratified),
            f"`cv_scores` cross-validates all {len(X):,} rows, test rows included: "
            "cross-validate the training rows only (`X_train`, `y_train`) and keep the test "
            "rows for the end.",
        ),
    ]
    for compute, message in slips:
        if _same(got, compute()):
            raise Fail(message)
    first = next(i for i, (g, w) in enumerate(zip(got, want, strict=True)) if not _same([g], [w]))
    raise Fail(
        f"`cv_scores` is not what cross-validating the pipeline of task 3 on `X_train`, "
        f"`y_train` gives on this run's data (fold {first + 1}: you have {got[first]:.4f}, it "
        f"gives {float(want[first]):.4f}). Store what `cross_val_score` returns: verification "
        "runs your notebook on fresh data, where scores typed in from an output no longer hold."
    )
