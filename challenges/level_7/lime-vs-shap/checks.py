"""Custom checks for lime-vs-shap: LIME weights, SHAP-LIME disagreements, seed stability.

Each check recognises the classic mistake first (an unseeded LIME run, the wrong class, the
wrong customer's SHAP row, the same seed reused in the loop) and says so; anything else gets a
plain description of the difference. Expected values come from the reference solution; the
SHAP explanations arrive as data (ExplanationRecord), and the SHAP/LIME comparison is redone here
with the judge's own copy of ``explain.compare_local`` on those numbers.

Any valid SHAP explanation of the forest passes task 2 (``stores.shap_agreement``: its values add
up to the forest's churn probabilities and follow the exact values), and the disagreements are
then judged against the learner's own explanation and LIME weights; when those weights failed
task 1, the message says so. LIME weights that match only to a few decimals were copied from a
printout, not stored from ``lime_explanation``.
"""

from __future__ import annotations

from typing import Any

from sandbox.grading import CheckContext, Fail, stores
from sandbox.grading.compare import describe_type
from sandbox.grading.records import ExplanationRecord

N_FEATURES = 5
WEIGHT_RTOL = 1e-6
# Weights that agree only this far were typed in from a printout.
PRINTED_ATOL = 5e-3
# The notebook's `customer`: the test position whose P(churn) is closest to this.
CUSTOMER_P_CHURN = 2 / 3


def _pairs(value: Any, name: str) -> list[tuple[str, float]]:
    """The learner's LIME result as (name, weight) pairs, or Fail with what is wrong."""
    if isinstance(value, dict):
        value = list(value.items())
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise Fail(
            f"`{name}` is {describe_type(value)}; expected the list of (feature, weight) pairs "
            "that `explain.lime_explanation(...)` returns."
        )
    pairs = []
    for item in value:
        try:
            feature, weight = item
            pairs.append((str(feature), float(weight)))
        except (TypeError, ValueError):
            raise Fail(
                f"`{name}` holds {describe_type(item)} items; expected (feature, weight) pairs."
            ) from None
    return pairs


def check_lime_weights(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    import numpy as np

    got = _pairs(answer["lime_weights"], "lime_weights")
    want = dict(_pairs(expected["lime_weights"], "lime_weights"))
    if len(got) != len(want):
        raise Fail(
            f"`lime_weights` has {len(got)} features; ask LIME for {len(want)} "
            f"(`num_features={len(want)}`)."
        )
    names = [feature for feature, _ in got]
    if any(" " in feature or "<" in feature or ">" in feature for feature in names):
        raise Fail(
            f"`lime_weights` names LIME's rules (such as {names[0]!r}), not the features: "
            "use plain feature names (the helper's default, `conditions=False`)."
        )
    weights = dict(got)
    if set(weights) == set(want):
        mine = np.array([weights[feature] for feature in want])
        ref = np.array(list(want.values()))
        if np.allclose(mine, ref, rtol=WEIGHT_RTOL, atol=1e-12):
            return
        if np.allclose(mine, -ref, rtol=WEIGHT_RTOL, atol=1e-12):
            raise Fail(
                "`lime_weights` has the right features with the opposite signs: it explains "
                "staying (class 0). Explain churning, class 1 (the default for a binary model)."
            )
        if np.allclose(mine, ref, rtol=0, atol=PRINTED_ATOL):
            raise Fail(
                "`lime_weights` has LIME's features with weights that agree only to a few "
                "decimals: numbers copied from a printout, not what `lime_explanation` returned. "
                "Store its result itself."
            )
    raise Fail(
        "`lime_weights` differs from LIME's answer with `random_state=0`. LIME draws random "
        "neighbours of the customer, so without a fixed `random_state` every run gives other "
        "weights, sometimes other features. Seed it with `random_state=0`, and explain "
        "`X_test.iloc[customer]` with `num_features=5`."
    )


def _shap_values(expl: Any, n_rows: int) -> Any:
    import numpy as np

    if not isinstance(expl, ExplanationRecord):
        raise Fail(
            f"`expl` is {describe_type(expl)}; expected a SHAP explanation from "
            "`explain.shap_explanation(forest, X_test)`."
        )
    values = np.asarray(expl.values, dtype=float)
    if values.ndim != 2 or values.shape[0] != n_rows:
        raise Fail(
            f"`expl` has values of shape {values.shape}; expected one row per test customer "
            f"({n_rows}) and one column per feature."
        )
    return values


def _customer(reference: ExplanationRecord) -> int:
    """The notebook's ``customer`` on this run's data: the test position whose P(churn) is
    closest to :data:`CUSTOMER_P_CHURN`, read from the reference's SHAP values, which add up
    to the forest's churn probabilities."""
    import numpy as np

    p_churn = stores.explained_outputs(reference, np.asarray(reference.values, dtype=float))
    return int(np.argmin(np.abs(p_churn - CUSTOMER_P_CHURN)))


def _disagreeing(shap_row: dict[str, float], lime_weights: Any) -> set[str]:
    from sandbox.integrations import explain

    return {
        row.feature
        for row in explain.compare_local(shap_row, lime_weights)
        if row.disagreement is not None
    }


def check_disagreements(
    answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext
) -> None:
    ref_expl = expected["expl"]
    values = _shap_values(answer["expl"], len(ref_expl.values))
    agreement = stores.shap_agreement(answer["expl"], ref_expl)
    if agreement == "opposite":
        raise Fail(
            "`expl` explains staying (class 0): every SHAP value has the opposite sign. "
            "Explain churning, class 1, as LIME does."
        )
    if agreement == "other":
        raise Fail("`expl` does not hold the SHAP values of `forest` on `X_test`, in order.")
    values = stores.aligned_values(answer["expl"], ref_expl)

    got = answer["disagreements"]
    if isinstance(got, (str, bytes)) or not hasattr(got, "__iter__"):
        raise Fail(f"`disagreements` is {describe_type(got)}; expected a list of feature names.")
    got_set = {str(item) for item in got}
    names = [str(name) for name in ref_expl.feature_names]
    lime = _pairs(answer["lime_weights"], "lime_weights")
    customer = _customer(ref_expl)
    want_set = _disagreeing(dict(zip(names, values[customer], strict=True)), lime)
    if got_set == want_set:
        if ctx.passed_earlier("q1") is False:
            raise Fail(
                "`disagreements` is right for your `lime_weights`, but `lime_weights` failed "
                "task 1: fix task 1 and run both cells again."
            )
        return
    for position in range(values.shape[0]):
        row = dict(zip(names, values[position], strict=True))
        if got_set and _disagreeing(row, lime) == got_set:
            raise Fail(
                f"`disagreements` matches the SHAP values of the test customer at position "
                f"{position}, not of the one at position `customer`: compare "
                "`expl[customer]` with `lime_weights`."
            )
    missing, extra = len(want_set - got_set), len(got_set - want_set)
    raise Fail(
        f"`disagreements` names {len(got_set)} feature(s); comparing `expl[customer]` with "
        f"`lime_weights` finds {len(want_set)} ({missing} of them missing from yours, {extra} of "
        "yours extra). Keep every feature whose `disagreement` is not None."
    )


def check_stable_features(
    answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext
) -> None:
    got = answer["stable_features"]
    if isinstance(got, (str, bytes)) or not hasattr(got, "__iter__"):
        raise Fail(f"`stable_features` is {describe_type(got)}; expected a set of feature names.")
    got_set = {str(item) for item in got}
    want_set = {str(item) for item in expected["stable_features"]}
    if got_set == want_set:
        return
    if len(got_set) == N_FEATURES and got_set > want_set:
        raise Fail(
            "`stable_features` holds 5 features, so all ten runs gave the same answer: the seed "
            "never changed. Pass the loop variable, `random_state=seed`, not a fixed number."
        )
    if got_set > want_set:
        raise Fail(
            f"`stable_features` has {len(got_set)} features, some of which drop out of at least "
            "one of the ten runs: keep only those present in every run (the intersection, not "
            "the union)."
        )
    raise Fail(
        f"`stable_features` has {len(got_set)} features; the ten runs with seeds 0 to 9 share "
        f"{len(want_set)}. Explain the same customer, class and number of features as in task 1 "
        "with each seed, and intersect the sets of names."
    )
