"""Evaluate one task of a challenge against a namespace (a notebook's globals).

Used by the inline ``ch.qN.check()`` and, inside the fresh kernel, by clean
verification, so both give the same verdict for the same code.

Custom checks live in the challenge's ``checks.py`` as functions::

    def check_best_run(answer: dict, expected: dict, ctx: CheckContext) -> None:
        ...  # raise Fail("message for the learner") when the answer is wrong

``answer`` and ``expected`` map the task's variable names to the learner's and the
reference's values; ``ctx.home`` is the learner's data home (MLflow and Optuna
stores live there), ``ctx.challenge`` and ``ctx.task`` the manifest records.
"""

from __future__ import annotations

import importlib.util
import sys
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from sandbox.catalogue import Challenge, Task
from sandbox.errors import GradingError
from sandbox.grading.compare import COMPARATORS, describe_type
from sandbox.grading.outcome import Fail, Outcome, TaskResult, is_placeholder
from sandbox.grading.reference import expected_values


@dataclass(frozen=True)
class CheckContext:
    challenge: Challenge
    task: Task
    home: Path


_MISSING = object()


def load_checks_module(challenge: Challenge) -> ModuleType:
    """Import the challenge's checks.py under a private module name."""
    name = f"_sandbox_checks_{challenge.id.replace('-', '_')}"
    spec = importlib.util.spec_from_file_location(name, challenge.checks_file)
    if spec is None or spec.loader is None:
        raise GradingError(f"Cannot load {challenge.checks_file}.")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _custom_check(challenge: Challenge, function: str) -> Callable[..., Any]:
    module = load_checks_module(challenge)
    check = getattr(module, function, None)
    if not callable(check):
        raise GradingError(f"{challenge.checks_file} has no function {function!r}.")
    return check  # type: ignore[no-any-return]


def _estimator_check(
    challenge: Challenge, task: Task, answer: Mapping[str, Any], expected: Mapping[str, Any]
) -> None:
    """A fitted scikit-learn estimator of the reference's type, scored on rows the grader keeps."""
    from sklearn.base import is_classifier, is_regressor
    from sklearn.exceptions import NotFittedError
    from sklearn.metrics import get_scorer
    from sklearn.utils.validation import check_is_fitted

    name = task.variables[0]
    model, reference = answer[name], expected[name]
    if not hasattr(model, "fit") or not hasattr(model, "predict"):
        raise Fail(
            f"`{name}` is {describe_type(model)}; expected a scikit-learn estimator or Pipeline."
        )
    try:
        check_is_fitted(model)
    except NotFittedError:
        raise Fail(f"`{name}` is not fitted yet: call `{name}.fit(X_train, y_train)`.") from None
    if is_classifier(reference) and not is_classifier(model):
        raise Fail(f"`{name}` is not a classifier, but this task predicts a category.")
    if is_regressor(reference) and not is_regressor(model):
        raise Fail(f"`{name}` is not a regressor, but this task predicts a number.")
    holdout = task.check.options.get("holdout")
    if not holdout:
        return
    holdout_rows: tuple[Any, Any] = _custom_check(challenge, str(holdout))()
    X_holdout, y_holdout = holdout_rows
    metric = str(task.check.options.get("metric", "accuracy"))
    scorer = get_scorer(metric)
    try:
        score = float(scorer(model, X_holdout, y_holdout))
    except Exception as exc:
        raise Fail(
            f"`{name}` could not score the held-out rows: {type(exc).__name__}: {exc}"
        ) from None
    floor = task.check.options.get("min_score")
    if floor is None:
        floor = float(scorer(reference, X_holdout, y_holdout)) - 0.02
    if score < float(floor):
        raise Fail(
            f"`{name}` scores {metric} = {score:.3f} on held-out rows it never saw; it needs at least {float(floor):.3f}."
        )


def evaluate_task(
    challenge: Challenge, task: Task, namespace: Mapping[str, Any], home: Path
) -> TaskResult:
    """The verdict for one task given the learner's namespace."""
    answer: dict[str, Any] = {}
    for name in task.variables:
        value = namespace.get(name, _MISSING)
        if value is _MISSING:
            return TaskResult(
                task.id,
                Outcome.FAIL,
                f"`{name}` is not defined. Run the cell that assigns it (and the cells above it).",
            )
        if is_placeholder(value):
            return TaskResult(
                task.id, Outcome.NOT_ATTEMPTED, f"Replace ____ with your answer for `{name}`."
            )
        answer[name] = value
    try:
        reference = expected_values(challenge)
        expected = {name: reference.get(name) for name in task.variables}
        kind, options = task.check.kind, task.check.options
        if kind == "custom":
            _custom_check(challenge, str(options["function"]))(
                answer, expected, CheckContext(challenge, task, home)
            )
        elif kind == "estimator":
            _estimator_check(challenge, task, answer, expected)
        else:
            compare = COMPARATORS[kind]
            for name in task.variables:
                compare(name, answer[name], expected[name], options)
    except Fail as failure:
        return TaskResult(task.id, Outcome.FAIL, str(failure))
    except GradingError as exc:
        return TaskResult(task.id, Outcome.ERROR, str(exc))
    except Exception as exc:  # a learner value that breaks a comparison is an error, not a crash
        last = traceback.extract_tb(exc.__traceback__)[-1]
        return TaskResult(
            task.id,
            Outcome.ERROR,
            f"Checking `{', '.join(task.variables)}` raised {type(exc).__name__}: {exc} ({Path(last.filename).name}:{last.lineno}).",
        )
    return TaskResult(task.id, Outcome.PASS, _praise(task))


def _praise(task: Task) -> str:
    names = ", ".join(f"`{n}`" for n in task.variables)
    return f"{names} {'is' if len(task.variables) == 1 else 'are'} correct."
