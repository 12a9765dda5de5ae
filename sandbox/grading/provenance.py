"""Provenance of a fitted estimator: what it is, which rows it learned from, what it scores.

A fitted model arrives in the judge as data (a skops file, loaded with scikit-learn's classes
only). Being fitted and scoring well proves little: a model fitted on every row, on the test
rows or on rows the grader keeps scores at least as well. These checks prove how it was made:

- :func:`require_estimator` — the class and the parameters the prompt names
  (``LogisticRegression(max_iter=1000)``; for a Pipeline, its final step). Parameters that
  cannot change a fit (``n_jobs``, ``verbose``, ``copy``, ``copy_X``) are free, and given the
  prescribed rows, so is any other difference a refit proves changes nothing (an explicit
  ``penalty="l2"``, a ``random_state`` for a deterministic solver).
- :func:`require_fitted_on` — refits a clone of the learner's model (same classes, same
  parameters, same steps) on the rows the prompt prescribes and compares what both predict on
  the judge's rows, and the fitted numbers of every preprocessing step (a scaler's means, an
  encoder's categories). When they differ, it refits on the candidate rows a wrong fit would
  have used (all rows, the test rows, the held-out rows) and names the rows the model looks
  fitted on.
- :func:`require_metric` — a number the learner reports must be what their own model gives
  on their own rows; a rounded or copied number is told apart from a wrong computation.

Randomness: refitting reproduces a fit only when every random choice is seeded. Deterministic
estimators (linear models with their default solvers, scalers, encoders) need nothing; for a
randomised one (forests, boosting, ``SGDClassifier``…) the prompt must name a
``random_state``, and :func:`require_estimator` then requires the learner's to equal it (an
unseeded one is refused with a message asking for the task's seed). A prompt that names no
seed for a randomised estimator cannot be checked this way: authors must name one. Predictions are compared with an absolute tolerance of :data:`TOLERANCE` (1e-5): an
identical refit agrees to about 1e-15, while leaving out a single training row of the churn
model already moves a probability by about 0.01.
"""

from __future__ import annotations

import ast
import contextlib
import math
import numbers
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sandbox.grading.outcome import Fail

#: Largest difference in predicted probabilities (or predictions) between the learner's model
#: and a refit that still counts as the same fit.
TOLERANCE = 1e-5
#: Parameters that cannot change what a fit learns.
FREE_PARAMS: tuple[str, ...] = ("n_jobs", "verbose", "copy", "copy_X")
#: Where :func:`parse_estimator` looks a class name up (then in every scikit-learn estimator).
_ESTIMATOR_MODULES = (
    "sklearn.linear_model",
    "sklearn.ensemble",
    "sklearn.tree",
    "sklearn.neighbors",
    "sklearn.svm",
    "sklearn.naive_bayes",
    "sklearn.dummy",
    "sklearn.preprocessing",
)


@dataclass(frozen=True)
class Rows:
    """Rows a model may have been fitted on, and how a message names them."""

    label: str  # "`X_train`, `y_train`", "the 625 test rows", …
    X: Any
    y: Any
    why: str = ""  # why fitting on them is wrong, for a candidate that is not prescribed


# ------------------------------------------------------------------------------- what it is


def parse_estimator(text: str) -> Any:
    """A scikit-learn estimator from its call as a prompt writes it: ``"LogisticRegression(max_iter=1000)"``.

    Only a class name and literal keyword arguments are accepted (it is read, never run).
    """
    try:
        call = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        raise ValueError(f"{text!r} is not an estimator call like 'LinearRegression()'.") from None
    if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Name) or call.args:
        raise ValueError(f"{text!r} must be a class name with keyword arguments only.")
    params = {}
    for keyword in call.keywords:
        if keyword.arg is None:
            raise ValueError(f"{text!r}: write each argument as name=value.")
        try:
            params[keyword.arg] = ast.literal_eval(keyword.value)
        except ValueError:
            raise ValueError(f"{text!r}: {keyword.arg} must be a literal value.") from None
    return _estimator_class(call.func.id)(**params)


@lru_cache(maxsize=64)
def _estimator_class(name: str) -> Any:
    import importlib

    for module_name in _ESTIMATOR_MODULES:
        found = getattr(importlib.import_module(module_name), name, None)
        if isinstance(found, type):
            return found
    from sklearn.utils import all_estimators

    for candidate, cls in all_estimators():
        if candidate == name:
            return cls
    raise ValueError(f"{name!r} is not a scikit-learn estimator.")


def final_estimator(model: Any) -> Any:
    """The estimator at the end of a Pipeline (nested pipelines included), or the model itself."""
    from sklearn.pipeline import Pipeline

    while isinstance(model, Pipeline):
        model = model.steps[-1][1]
    return model


def describe_estimator(estimator: Any) -> str:
    """``LogisticRegression(max_iter=1000)``: the class and the parameters that differ from
    their defaults, as scikit-learn prints them."""
    from sklearn import config_context

    with config_context(print_changed_only=True):
        return " ".join(repr(estimator).split())


def _same_param(got: Any, want: Any) -> bool:
    if isinstance(want, numbers.Real) and not isinstance(want, bool):
        return (
            isinstance(got, numbers.Real)
            and not isinstance(got, bool)
            and math.isclose(float(got), float(want), rel_tol=1e-12, abs_tol=0.0)
        )
    if hasattr(want, "get_params"):
        return type(got) is type(want) and describe_estimator(got) == describe_estimator(want)
    try:
        return bool(got == want) and type(got) is type(want)
    except Exception:
        return False


def require_estimator(
    name: str,
    model: Any,
    expected: Any,
    free: Iterable[str] = FREE_PARAMS,
    rows: Rows | None = None,
    on: Any = None,
) -> None:
    """Fail unless ``model`` (or its Pipeline's final step) is ``expected``'s class with
    ``expected``'s parameters; ``expected`` is an estimator or its call as text.

    With ``rows`` (the prescribed training rows), parameters that differ but cannot change the
    fit are accepted: a copy with the prompt's values, fitted on ``rows``, must predict ``on``
    (default: ``rows.X``) exactly as a copy with the learner's values does. So an explicit
    ``penalty="l2"``, a ``random_state`` for a deterministic solver or more ``max_iter`` than a
    converged fit needs pass, while ``C=0.5`` or another seed of a forest fail.
    """
    from sandbox.grading.compare import describe_type
    from sandbox.grading.models import untrusted_message
    from sandbox.grading.records import UntrustedEstimator

    if isinstance(expected, str):
        expected = parse_estimator(expected)
    if isinstance(model, UntrustedEstimator):
        raise Fail(untrusted_message(name, model))
    if not hasattr(model, "get_params"):
        raise Fail(f"`{name}` is {describe_type(model)}; expected a scikit-learn estimator.")
    final = final_estimator(model)
    where = "" if final is model else " at the end of its Pipeline"
    wanted = describe_estimator(expected)
    if type(final) is not type(expected):
        raise Fail(
            f"`{name}` holds a `{type(final).__name__}`{where}; the task asks for `{wanted}`."
        )
    got_params = final.get_params(deep=False)
    free_names = set(free)
    differing = {
        param: want
        for param, want in expected.get_params(deep=False).items()
        if param not in free_names and not _same_param(got_params.get(param), want)
    }
    if not differing or (rows is not None and _same_fit(model, differing, rows, on)):
        return
    param = next(iter(differing))
    got = got_params.get(param)
    if param == "random_state" and got is None:
        raise Fail(
            f"`{name}`'s `{type(final).__name__}` has no `random_state`: without the task's "
            f"seed its fit cannot be reproduced. Use `{wanted}`."
        )
    raise Fail(
        f"`{name}`'s `{type(final).__name__}`{where} has `{param}={got!r}`; the task asks for "
        f"`{wanted}`."
    )


def _same_fit(model: Any, params: Mapping[str, Any], rows: Rows, on: Any) -> bool:
    """Whether setting ``params`` on the final step leaves the fit on ``rows`` unchanged."""
    from sklearn.base import clone

    adjusted = clone(model)
    try:
        final_estimator(adjusted).set_params(**params)
        rows_on = rows.X if on is None else on
        with _quiet():
            as_asked = outputs(adjusted.fit(rows.X, rows.y), rows_on)
        return _difference(as_asked, outputs(refit(model, rows), rows_on)) <= TOLERANCE
    except Exception:  # a learner's setting the prompt's values cannot even be fitted with
        return False


def require_fitted(name: str, model: Any, how: str = "") -> None:
    """Fail unless ``model`` has been fitted."""
    from sklearn.exceptions import NotFittedError
    from sklearn.utils.validation import check_is_fitted

    try:
        check_is_fitted(final_estimator(model))
    except (NotFittedError, TypeError):
        advice = f": {how}" if how else ""
        raise Fail(f"`{name}` is not fitted yet{advice}.") from None


# --------------------------------------------------------------------- which rows it learned


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    # Convergence notes and feature-name notes are about how a model was fitted, not verdicts.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def outputs(model: Any, X: Any) -> Any:
    """What ``model`` says about the rows ``X``, as floats: its probabilities when it has
    them, else its decision function, else its predictions."""
    import numpy as np

    with _quiet():
        for method in ("predict_proba", "decision_function", "predict"):
            if hasattr(model, method):
                try:
                    return np.asarray(getattr(model, method)(X), dtype=float)
                except AttributeError:  # e.g. predict_proba of an SVC without probability=True
                    continue
    raise TypeError(f"{type(model).__name__} cannot predict.")


def refit(model: Any, rows: Rows) -> Any:
    """A clone of ``model`` (same classes, parameters and steps) fitted on ``rows``."""
    from sklearn.base import clone

    with _quiet():
        return clone(model).fit(rows.X, rows.y)


def _difference(a: Any, b: Any) -> float:
    import numpy as np

    if a.shape != b.shape:
        return math.inf
    return float(np.max(np.abs(a - b))) if a.size else 0.0


def _steps(model: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every fitted step inside ``model`` with a readable path (``preprocess › num``)."""
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import FeatureUnion, Pipeline

    if isinstance(model, Pipeline):
        for step_name, step in model.steps:
            yield from _steps(step, f"{path} › {step_name}" if path else step_name)
    elif isinstance(model, ColumnTransformer) and hasattr(model, "transformers_"):
        for step_name, step, _columns in model.transformers_:
            if not isinstance(step, str):
                yield from _steps(step, f"{path} › {step_name}" if path else step_name)
    elif isinstance(model, FeatureUnion):
        for step_name, step in model.transformer_list:
            yield from _steps(step, f"{path} › {step_name}" if path else step_name)
    elif hasattr(model, "get_params"):
        yield path, model


def _fitted_numbers(step: Any) -> dict[str, Any]:
    """The numbers a step learned in ``fit`` (``mean_``, ``scale_``, ``categories_``…)."""
    import numpy as np

    found: dict[str, Any] = {}
    for attribute in vars(step):
        if not attribute.endswith("_") or attribute.startswith("_"):
            continue
        value = getattr(step, attribute)
        if attribute == "categories_":
            found[attribute] = [sorted(map(str, c)) for c in value]
            continue
        if isinstance(value, numbers.Real) or (
            isinstance(value, np.ndarray) and value.dtype.kind in "biuf"
        ):
            found[attribute] = np.asarray(value, dtype=float)
    return found


def _same_numbers(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    import numpy as np

    for key in a.keys() & b.keys():
        left, right = a[key], b[key]
        if isinstance(left, list):
            if left != right:
                return False
        elif np.shape(left) != np.shape(right) or not np.allclose(
            left, right, rtol=1e-6, atol=1e-9, equal_nan=True
        ):
            return False
    return True


def _preprocessing_differs(model: Any, refitted: Any) -> str | None:
    """The path of the first preprocessing step whose fitted numbers differ from the refit's."""
    steps = list(_steps(model))
    again = list(_steps(refitted))
    for (path, step), (_, other) in zip(steps[:-1], again[:-1], strict=False):
        if not _same_numbers(_fitted_numbers(step), _fitted_numbers(other)):
            return path or type(step).__name__
    return None


def _outputs_on(name: str, model: Any, on: Any) -> Any:
    try:
        return outputs(model, on)
    except Exception as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        raise Fail(
            f"`{name}` could not predict the judge's rows, which have the task's feature "
            f"columns: {type(exc).__name__}: {detail}"
        ) from None


def same_outputs(model: Any, other: Any, on: Any, tolerance: float = TOLERANCE) -> bool:
    """Whether two fitted models say the same about the rows ``on`` (see :func:`outputs`)."""
    try:
        return _difference(outputs(model, on), outputs(other, on)) <= tolerance
    except Exception:  # other columns or another kind of output: not the same model
        return False


def matches_fit(model: Any, rows: Rows, on: Any, tolerance: float = TOLERANCE) -> bool:
    """Whether ``model`` predicts ``on`` as a clone of it fitted on ``rows`` does."""
    try:
        refitted = refit(model, rows)
    except Exception:  # a model that cannot be refit on those rows was not fitted on them
        return False
    return same_outputs(model, refitted, on, tolerance)


def require_fitted_on(
    name: str,
    model: Any,
    prescribed: Rows,
    others: Sequence[Rows] = (),
    on: Any = None,
    tolerance: float = TOLERANCE,
) -> None:
    """Fail unless ``model`` is what a clone of it fitted on ``prescribed`` is.

    Both predict the rows ``on`` (default: the prescribed rows); every preprocessing step's
    fitted numbers are compared too. Otherwise the clone is refitted on each of ``others``
    and the message names the rows whose fit ``model`` matches.
    """
    rows_on = prescribed.X if on is None else on
    got = _outputs_on(name, model, rows_on)
    try:
        refitted = refit(model, prescribed)
    except Exception as exc:
        raise Fail(
            f"`{name}` cannot be fitted on {prescribed.label} as it is set up: "
            f"{type(exc).__name__}: {str(exc).strip()[:200]}"
        ) from None
    distance = _difference(got, outputs(refitted, rows_on))
    step = _preprocessing_differs(model, refitted) if distance <= tolerance else None
    if distance <= tolerance and step is None:
        return
    for candidate in others:
        try:
            fitted = refit(model, candidate)
            if _difference(got, outputs(fitted, rows_on)) <= tolerance:
                why = f": {candidate.why}" if candidate.why else ""
                raise Fail(
                    f"`{name}` looks fitted on {candidate.label}, not on {prescribed.label}"
                    f"{why}. Fit it on {prescribed.label} only."
                )
        except Fail:
            raise
        except Exception:  # a candidate the model cannot even be fitted on is not the answer
            continue
    if step is not None:
        raise Fail(
            f"The step `{step}` inside `{name}` learned its numbers from other rows than "
            f"{prescribed.label}: fit the whole pipeline on {prescribed.label} only, so "
            "every step learns from the training rows."
        )
    raise Fail(
        f"`{name}` does not predict like a model fitted on {prescribed.label}: refitting it "
        f"there changes its predictions by up to {distance:.3g}. Fit it on {prescribed.label} "
        "and do not refit or change it afterwards."
    )


# -------------------------------------------------------------------------- what it scores


def number(name: str, value: Any) -> float:
    """``value`` as a float, or Fail naming what it is instead."""
    from sandbox.grading.compare import describe_type

    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise Fail(f"`{name}` is {describe_type(value)}; expected a number.")
    return float(value)


def close(a: Any, b: Any, rtol: float = 1e-6) -> bool:
    """Equal as a computed metric must be (up to float noise)."""
    return math.isclose(float(a), float(b), rel_tol=rtol, abs_tol=1e-9)


def require_metric(
    name: str,
    value: Any,
    recomputed: float | Callable[[], float],
    how: str,
    slips: Sequence[tuple[Callable[[], float], str]] = (),
) -> None:
    """Fail unless ``value`` is ``recomputed`` (what the learner's own model gives on the
    learner's own rows, ``how`` says how to compute it).

    ``slips`` are ``(compute, message)`` pairs for the usual wrong computations, tried in
    order; a number that is ``recomputed`` rounded is called typed in.
    """
    got = number(name, value)
    want = float(recomputed() if callable(recomputed) else recomputed)
    if close(got, want):
        return
    for compute, message in slips:
        try:
            slip = float(compute())
        except Exception:
            continue
        if close(got, slip):
            raise Fail(message)
    for digits in (1, 2, 3, 4, 5):
        if close(got, round(want, digits)):
            raise Fail(
                f"`{name}` is {got:g}, a rounded copy of {want:.6g}, which {how} gives: store "
                "the computed value itself, not a number typed in from the output."
            )
    raise Fail(
        f"`{name}` is {got:.6g}, but {how} gives {want:.6g}: compute it from the model and the "
        "rows, rather than typing a number in."
    )
