"""Custom checks for shap-global-and-local: explanations are judged by what they contain.

Comparing a SHAP explanation or a ranking value by value cannot say *why* it differs. These
checks recognise the classic mistakes first (the benign class explained instead of the malignant
one, signed SHAP values averaged, contributions sorted by signed value, coefficients of unscaled
inputs) and say so; anything else falls back to the grader's own comparison. Explanations arrive
as data (an ExplanationRecord: values, base values, feature names), models as the fitted
scikit-learn objects they are.

Any valid SHAP explanation of the forest passes task 1, not only the tree explainer's: its
values must add up, row by row, to the forest's probability of malignant (the reference's base
value plus its values), and follow the exact values closely. Tasks 2 and 3 are then judged
against the learner's own explanation (a permutation explainer ranks a little differently), and
say so when an answer is right for an ``expl`` that failed task 1. The logistic regression must
be the one a refit on the training rows gives.
"""

from __future__ import annotations

from typing import Any

from sandbox.grading import CheckContext, DataSpec, Fail, stores
from sandbox.grading.compare import compare_series, describe_type
from sandbox.grading.records import ExplanationRecord

TOLERANCE = {"rtol": 1e-6, "atol": 1e-9}

# The notebook's split of the biopsies, for the refit of `logreg`.
DATA = DataSpec(dataset="breast_cancer", target="target", test_size=0.25, random_state=0)


def _values(expl: Any, name: str) -> Any:
    import numpy as np

    if not isinstance(expl, ExplanationRecord):
        raise Fail(
            f"`{name}` is {describe_type(expl)}; expected a SHAP explanation, the result of "
            "`explain.shap_explanation(...)`."
        )
    return np.asarray(expl.values, dtype=float)


def _judge_expl(expl: Any, reference: Any) -> None:
    """Fail unless ``expl`` is a SHAP explanation of the forest's malignant probability."""
    got = _values(expl, "expl")
    want = _values(reference, "expl")
    if got.ndim == 3:
        raise Fail(
            f"`expl` holds one set of SHAP values per class (shape {got.shape}): keep only the "
            "malignant class, with `class_index=0` in `explain.shap_explanation`."
        )
    if got.ndim != 2 or got.shape[1] != want.shape[1]:
        raise Fail(
            f"`expl` has values of shape {got.shape}; expected one row per test biopsy and one "
            f"column per feature ({want.shape[1]} features)."
        )
    if got.shape[0] != want.shape[0]:
        raise Fail(
            f"`expl` explains {got.shape[0]} rows; expected every row of `X_test` "
            f"({want.shape[0]})."
        )
    agreement = stores.shap_agreement(expl, reference, **TOLERANCE)
    if agreement == "opposite":
        raise _benign()
    if agreement == "other":
        raise Fail(
            "`expl` does not hold the SHAP values of `forest` on `X_test`: explain the given "
            "forest on the test rows, in their order."
        )


def _benign() -> Fail:
    return Fail(
        "`expl` explains the probability of benign (class 1, the default for a binary "
        "model), so every value has the opposite sign. Explain malignant: `class_index=0`."
    )


def check_expl(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    _judge_expl(answer["expl"], expected["expl"])


def _own_values(ctx: CheckContext) -> tuple[Any, list[str], bool]:
    """The learner's SHAP values (in the reference's column order), names, and whether valid.

    Tasks 2 and 3 are computed from the learner's own ``expl``; when it is not an explanation
    of the right shape, the reference's values stand in.
    """
    import numpy as np

    reference = ctx.reference("expl")
    names = [str(n) for n in reference.feature_names]
    expl = ctx.answer("expl")
    try:
        _judge_expl(expl, reference)
    except Fail:
        shape = np.shape(getattr(expl, "values", None))
        if isinstance(expl, ExplanationRecord) and shape == np.shape(reference.values):
            return stores.aligned_values(expl, reference), names, False
        return np.asarray(reference.values, dtype=float), names, True
    return stores.aligned_values(expl, reference), names, True


def _earlier_failed(name: str, got: Any, own: Any, valid: bool) -> None:
    """Say so when an answer is right for an ``expl`` that failed task 1."""
    import numpy as np

    if valid or list(got.index) != list(own.index):
        return
    if np.allclose(got.to_numpy(dtype=float), own.to_numpy(dtype=float), **TOLERANCE):
        raise Fail(
            f"`{name}` is right for your `expl`, but `expl` failed task 1: fix task 1 and "
            "run this cell again."
        )


def _series(value: Any, name: str, expected_length: int) -> Any:
    import pandas as pd

    if not isinstance(value, pd.Series):
        raise Fail(
            f"`{name}` is {describe_type(value)}; expected a pandas Series indexed by feature name."
        )
    if len(value) != expected_length:
        raise Fail(f"`{name}` has {len(value)} entries; expected {expected_length}.")
    return value


def check_global(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    import numpy as np
    import pandas as pd

    got = _series(
        answer["global_importance"], "global_importance", len(expected["global_importance"])
    )
    values, names, valid = _own_values(ctx)
    own = pd.Series(np.abs(values).mean(axis=0), index=names).sort_values(ascending=False)
    _earlier_failed("global_importance", got, own, valid)
    want = own if valid else expected["global_importance"]
    if (got < 0).any():
        raise Fail(
            "`global_importance` has negative entries, so it averages signed SHAP values, where "
            "pushes towards and away from malignant cancel out. Average their absolute values: "
            "`np.abs(expl.values).mean(axis=0)`."
        )
    if set(got.index) != set(want.index):
        raise Fail(
            "`global_importance` should be indexed by the feature names (`expl.feature_names` or "
            "`X_test.columns`)."
        )
    if got.is_monotonic_increasing and not got.is_monotonic_decreasing:
        raise Fail("`global_importance` is sorted smallest first; sort it largest first.")
    compare_series("global_importance", got, want, TOLERANCE)


def check_patient(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    import numpy as np
    import pandas as pd

    want = expected["patient_contributions"]
    got = _series(answer["patient_contributions"], "patient_contributions", len(want))
    # `patient` is the test row whose probability of malignant is closest to 50 %.
    reference = ctx.reference("expl")
    p_malignant = stores.explained_outputs(reference, np.asarray(reference.values, dtype=float))
    patient = int(np.argmin(np.abs(p_malignant - 0.5)))
    values, names, valid = _own_values(ctx)
    row = pd.Series(values[patient], index=names)
    own = row.sort_values(key=np.abs, ascending=False).head(len(want))
    _earlier_failed("patient_contributions", got, own, valid)
    if valid:
        want = own
    if list(got.index) == list(want.index) and np.allclose(
        got.to_numpy(dtype=float), want.to_numpy(dtype=float), **TOLERANCE
    ):
        # Right, whatever the signs: on some data the patient's top five all push one way,
        # and then they equal their absolute values.
        return
    aligned = got.reindex(want.index)
    if set(got.index) == set(want.index) and np.allclose(aligned, -want, **TOLERANCE):
        raise Fail(
            "`patient_contributions` has the right features with the opposite signs: they "
            "explain benign. Use the malignant explanation of task 1."
        )
    if set(got.index) == set(want.index) and np.allclose(aligned, want.abs(), **TOLERANCE):
        raise Fail(
            "`patient_contributions` has lost its signs: keep the signed SHAP values (a "
            "negative one pushes towards benign) and sort them by absolute size with "
            "`sort_values(key=np.abs, ascending=False)`."
        )
    if (got > 0).all() and (want < 0).any():
        raise Fail(
            "`patient_contributions` keeps only features that push towards malignant: it is "
            "sorted by signed value. Sort by absolute size (`key=np.abs`), so that strong "
            "pushes towards benign count too."
        )
    if set(got.index) == set(want.index) and list(got.index) != list(want.index):
        raise Fail(
            "`patient_contributions` has the right features in the wrong order: sort by "
            "absolute size, largest effect first."
        )
    compare_series("patient_contributions", got, want, TOLERANCE)


def _has_scaler(model: Any) -> bool:
    steps = getattr(model, "steps", None) or []
    return any("Scaler" in type(step).__name__ for _, step in steps)


def check_coefficients(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    import pandas as pd
    from sklearn.base import is_classifier
    from sklearn.exceptions import NotFittedError
    from sklearn.utils.validation import check_is_fitted

    model = answer["logreg"]
    if not (hasattr(model, "fit") and hasattr(model, "predict")):
        raise Fail(
            f"`logreg` is {describe_type(model)}; expected a scikit-learn pipeline "
            "(`make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000))`)."
        )
    try:
        check_is_fitted(model)
    except NotFittedError:
        raise Fail("`logreg` is not fitted yet: call `logreg.fit(X_train, y_train)`.") from None
    if not is_classifier(model):
        raise Fail("`logreg` is not a classifier: end the pipeline with a LogisticRegression.")

    split = ctx.split()
    if _has_scaler(model) and not stores.refit_matches(
        model, split.X_train, split.y_train, split.X_test
    ):
        everything = (
            pd.concat([split.X_train, split.X_test]).sort_index(),
            pd.concat([split.y_train, split.y_test]).sort_index(),
        )
        rows = stores.fitted_on(
            model,
            {
                "every row, test rows included": everything,
                "the test rows": (split.X_test, split.y_test),
            },
            split.X_test,
        )
        raise Fail(
            "`logreg` is not the pipeline a fit on `X_train`, `y_train` gives"
            + (f": it was fitted on {rows}." if rows else ".")
            + " Fit it on the training rows only."
        )
    want = expected["coef_ranking"]
    got = _series(answer["coef_ranking"], "coef_ranking", len(want))
    if (got < 0).any():
        raise Fail(
            "`coef_ranking` has negative entries: rank by the coefficients' absolute values "
            "(`np.abs(...)`), since a large negative coefficient matters as much as a positive one."
        )
    if set(got.index) != set(want.index):
        raise Fail("`coef_ranking` should be indexed by the feature names (`X.columns`).")
    if got.is_monotonic_increasing and not got.is_monotonic_decreasing:
        raise Fail("`coef_ranking` is sorted smallest first; sort it largest first.")
    try:
        compare_series("coef_ranking", got, want, {"rtol": 1e-4, "atol": 1e-6})
    except Fail:
        if not _has_scaler(model):
            raise Fail(
                "`coef_ranking` ranks coefficients of unscaled inputs: each one is the effect of "
                "one unit of its feature, and `mean area` is counted in hundreds while "
                "`mean smoothness` is a fraction of one. Standardize first: "
                "`make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000))`."
            ) from None
        raise
