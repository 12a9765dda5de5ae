"""Checks for the hypothesis tests: compare with the reference, then name the usual slip.

Expected values come from the reference solution. The near misses (Student's instead of
Welch's test, the groups swapped, the wrong alternative) are recomputed here from the churn
data of this run, so a wrong answer gets a message that says which mistake it looks like.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

from sandbox.grading import Fail

RTOL = 1e-6


def _groups(column: str) -> tuple[Any, Any]:
    """Both groups of ``column`` in the data of this run (loaded afresh: never cached, as one
    judge compares on a data variant and then on the shipped data)."""
    from sandbox import datasets

    churn = datasets.load("churn")
    churned = churn.loc[churn["churned"] == 1, column]
    stayed = churn.loc[churn["churned"] == 0, column]
    return churned, stayed


def _number(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise Fail(
            f"`{name}` is {type(value).__name__}; expected a number. "
            "Take it from the test's result, e.g. `result.statistic` or `result.pvalue`."
        )
    return float(value)


def _close(a: float, b: float, rtol: float = RTOL) -> bool:
    return math.isclose(a, b, rel_tol=rtol, abs_tol=1e-300)


def _compare(name: str, got: Any, expected: Any, slips: list[tuple[float, str]]) -> None:
    """Pass when `got` matches `expected`; otherwise name the first slip it matches."""
    value = _number(name, got)
    if _close(value, float(expected)):
        return
    for candidate, message in slips:
        if _close(value, candidate, rtol=1e-4):
            raise Fail(f"`{name}` {message}")
    direction = "too high" if value > float(expected) else "too low"
    raise Fail(f"`{name}` is {value:.6g}, which is {direction}.")


def check_welch(answer: dict, expected: dict, ctx: Any) -> None:
    from scipy import stats

    churned, stayed = _groups("avg_weekly_logins")
    student = stats.ttest_ind(churned, stayed, equal_var=True)
    welch = stats.ttest_ind(churned, stayed, equal_var=False)
    _compare(
        "t_stat",
        answer["t_stat"],
        expected["t_stat"],
        [
            (
                float(student.statistic),
                "matches Student's t-test, which assumes both groups have the same variance. "
                "Their standard deviations differ a lot here: pass `equal_var=False` for Welch's test.",
            ),
            (
                -float(welch.statistic),
                "has the right size but the wrong sign: pass the churned group first, "
                "`ttest_ind(logins_churned, logins_stayed, ...)`.",
            ),
        ],
    )
    _compare(
        "p_value",
        answer["p_value"],
        expected["p_value"],
        [
            (
                float(student.pvalue),
                "is Student's p-value (equal variances assumed); use Welch's test, `equal_var=False`.",
            ),
            (
                float(welch.pvalue) / 2,
                "is half the two-sided p-value: this task asks whether the groups differ in "
                'either direction, so keep the default `alternative="two-sided"`.',
            ),
        ],
    )


def check_mann_whitney(answer: dict, expected: dict, ctx: Any) -> None:
    from scipy import stats

    churned, stayed = _groups("avg_weekly_logins")
    two_sided = stats.mannwhitneyu(churned, stayed)
    _compare(
        "u_stat",
        answer["u_stat"],
        expected["u_stat"],
        [
            (
                len(churned) * len(stayed) - float(two_sided.statistic),
                "is the U statistic of the other group: pass the churned group first, "
                "`mannwhitneyu(logins_churned, logins_stayed)`.",
            ),
        ],
    )
    _compare(
        "u_p_value",
        answer["u_p_value"],
        expected["u_p_value"],
        [
            (
                float(two_sided.pvalue) / 2,
                'is a one-sided p-value: keep the default `alternative="two-sided"` here.',
            ),
            (
                float(stats.ttest_ind(churned, stayed, equal_var=False).pvalue),
                "is the p-value of a t-test; this task asks for the Mann-Whitney U test "
                "(`stats.mannwhitneyu`).",
            ),
        ],
    )


def check_age_decision(answer: dict, expected: dict, ctx: Any) -> None:
    from scipy import stats

    churned, stayed = _groups("age")
    two_sided = stats.ttest_ind(churned, stayed, equal_var=False)
    _compare(
        "age_p_value",
        answer["age_p_value"],
        expected["age_p_value"],
        [
            (
                float(two_sided.pvalue),
                "is the two-sided p-value. The hypothesis has a direction (churners are "
                'younger), so test only that side: `alternative="less"`.',
            ),
            (
                1 - float(two_sided.pvalue) / 2,
                "tests the opposite direction (churners older). With the churned group "
                'first, "churners are younger" is `alternative="less"`.',
            ),
            (
                float(stats.ttest_ind(churned, stayed, alternative="less").pvalue),
                "is the p-value of Student's t-test; use Welch's, `equal_var=False`.",
            ),
        ],
    )
    decision = answer["reject_h0"]
    if not isinstance(decision, (bool, type(expected["reject_h0"]))):
        raise Fail(f"`reject_h0` is {type(decision).__name__}; expected True or False.")
    if bool(decision) != bool(expected["reject_h0"]):
        raise Fail(
            f"`reject_h0` is {bool(decision)}, which does not follow from the p-value: reject "
            "the null hypothesis when the p-value is below `alpha`."
        )
