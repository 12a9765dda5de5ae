"""What the learner's stores really hold: runs with their models, autolog's records, trials re-scored.

A run id or a study in a notebook is a claim about work done. The checks of challenges that
write to MLflow or Optuna test the claim against what only the work itself leaves behind, with
the helpers here (all of them run in the judge, on the learner's data home, and never import,
unpickle or call anything the learner made):

* **MLflow runs.** :func:`not_made_by_mlflow` spots a run written into ``mlflow.db`` by hand
  (MLflow's own bookkeeping missing); :func:`run_model` loads the model a run logged (skops,
  trusted types only) so that the run's metric can be recomputed from it on the judge's rows
  (:func:`same_score`); :func:`missing_autolog_records` lists what ``mlflow.sklearn.autolog``
  leaves on a run that a run with the same parameters typed in lacks (its tags, the fitted
  estimator's page and the training plots), and :func:`autolog_metric_mismatch` recomputes its
  training metrics from the judge's own fit.
* **Optuna studies.** :func:`trials_to_rescore` picks the best trial and a random sample of the
  others (drawn afresh at every judgement, so no particular trial can be prepared for it), and
  :func:`first_rescore_mismatch` re-runs the task's objective on their parameters: a study
  whose trials were asked from the seeded sampler but told made-up values, or built with
  ``add_trial`` and nothing trained, fails. :func:`first_step_mismatch` does the same for the
  values a pruned search reported along the way.
* **Models.** :func:`same_predictions` compares two fitted models; :func:`refit_matches` refits a clone of a model on the rows a prompt prescribes
  and compares its predictions; :func:`fitted_on` names which of several candidate row sets
  reproduces it (the training rows, every row, the test rows), so a message can say where a
  leak came from; :func:`forest_training_rows` reads how many rows a bagged forest was fitted
  on, whatever their order.
* **Explanations.** :func:`shap_agreement` accepts any valid SHAP explanation of a model, not
  only the explainer the reference used: its values must add up, row by row, to the same model
  outputs as the reference's, and follow the reference's values closely.

A run without a logged model proves only what it logged: a task whose numbers matter should
ask for the model too (see ``docs/authoring.md``, "Store-backed checks").
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

from sandbox.grading import provenance
from sandbox.grading.outcome import Fail

if TYPE_CHECKING:
    from sandbox.grading.context import CheckContext
    from sandbox.grading.records import TrialRecord

#: SHAP values of another explainer add up to the same outputs and follow the exact values.
ADDITIVITY_TOLERANCE = 1e-6
MIN_SHAP_CORRELATION = 0.9

#: Stored metrics are doubles: a metric recomputed from the same model matches to the last bits.
METRIC_TOLERANCE = 1e-9

#: What ``mlflow.sklearn.autolog`` files under a classifier's run (MLflow 3.17), besides
#: every parameter of the estimator: the estimator's class as tags, its HTML page and plots of
#: its training scores. ``log_models=False`` and ``log_datasets=False`` leave all of these.
AUTOLOG_TAGS = ("estimator_name", "estimator_class")
AUTOLOG_CLASSIFIER_ARTIFACTS = (
    "estimator.html",
    "training_confusion_matrix.png",
    "training_roc_curve.png",
)


# ------------------------------------------------------------------------------------ mlflow


def not_made_by_mlflow(run: Any, experiment: Any) -> str | None:
    """Why ``run`` cannot have been created through MLflow's API, or None when it could.

    Every run MLflow creates (fluent or client API, autolog included) has a name, the same
    name in its ``mlflow.runName`` tag, a start time, and an artifact folder
    ``<experiment's artifact location>/<run id>/artifacts``. Rows typed into ``mlflow.db`` by
    hand rarely reproduce all of that. (A careful forger can, which is why tasks whose
    numbers matter ask for a logged model as well.)
    """
    info, tags = run.info, run.data.tags
    name = getattr(info, "run_name", None)
    if not name or tags.get("mlflow.runName") != name:
        return "it has no run name in MLflow's `mlflow.runName` tag"
    if not info.start_time:
        return "it has no start time"
    if info.end_time is not None and info.end_time < info.start_time:
        return "it ended before it started"
    expected = f"{str(experiment.artifact_location).rstrip('/')}/{info.run_id}/artifacts"
    if str(info.artifact_uri).rstrip("/") != expected:
        return (
            "its artifact folder is not where MLflow puts the artifacts of that experiment's runs"
        )
    return None


def run_models(client: Any, run: Any) -> list[Any]:
    """The LoggedModels whose ``source_run_id`` is ``run``, oldest first."""
    found = client.search_logged_models(
        experiment_ids=[run.info.experiment_id],
        filter_string=f"source_run_id = '{run.info.run_id}'",
    )
    return sorted(found, key=lambda model: model.creation_timestamp or 0)


def run_model(ctx: CheckContext, client: Any, run: Any, what: str) -> Any:
    """The scikit-learn model ``run`` logged, loaded from its skops file; Fail when there is none.

    ``what`` names the run in the message ("The run of `first_run_id`").
    """
    models = run_models(client, run)
    if not models:
        raise Fail(
            f"{what} has no logged model, so nothing shows how its numbers were made: call "
            '`mlflow.sklearn.log_model(model, name="model", ...)` inside the run that trained it.'
        )
    return ctx.load_logged_model(
        models[-1].model_id, f"The model logged by {what[0].lower()}{what[1:]}"
    )


def score(model: Any, X: Any, y: Any, metric: str = "roc_auc") -> float:
    """``model``'s score on ``X``, ``y`` with a scikit-learn scorer name (``"roc_auc"``, …)."""
    from sklearn.metrics import get_scorer

    return float(get_scorer(metric)(model, X, y))


def same_score(a: float, b: float, tolerance: float = METRIC_TOLERANCE) -> bool:
    """Whether two scores are the same number, as recomputed from the same model and rows."""
    return math.isclose(float(a), float(b), rel_tol=tolerance, abs_tol=tolerance)


def _artifact_names(client: Any, run: Any) -> set[str]:
    """The names of the files at the top of the run's artifact folder (local stores only)."""
    location = urlparse(str(run.info.artifact_uri))
    if location.scheme in ("", "file"):
        folder = Path(unquote(location.path))
        return {p.name for p in folder.iterdir()} if folder.is_dir() else set()
    return {Path(a.path).name for a in client.list_artifacts(run.info.run_id)}


def missing_autolog_records(client: Any, run: Any, estimator: type | None = None) -> list[str]:
    """What ``mlflow.sklearn.autolog`` leaves on a classifier's run that ``run`` lacks.

    ``estimator`` (a class) must then be the class autolog recorded. Empty when everything
    is there.
    """
    tags = run.data.tags
    missing = [f"the `{tag}` tag" for tag in AUTOLOG_TAGS if tag not in tags]
    if estimator is not None and "estimator_class" in tags:
        wanted = f"{estimator.__module__}.{estimator.__qualname__}"
        if tags["estimator_class"] != wanted:
            missing.append(
                f"a fit of {estimator.__name__} (autolog recorded {tags['estimator_class']})"
            )
    present = _artifact_names(client, run)
    missing.extend(
        f"the `{name}` artifact" for name in AUTOLOG_CLASSIFIER_ARTIFACTS if name not in present
    )
    return missing


def autolog_metric_mismatch(run: Any, model: Any, X_train: Any, y_train: Any) -> str | None:
    """The first training metric autolog logged that the fitted ``model`` does not reproduce.

    Autolog scores the estimator on the rows it was fitted on right after the fit; the judge
    fits the model the task describes on the rows the task prescribes and scores it the same
    way. None when ``training_accuracy_score`` and (binary) ``training_roc_auc`` both match.
    """
    from sklearn.metrics import accuracy_score, roc_auc_score

    metrics = run.data.metrics
    recomputed = {"training_accuracy_score": float(accuracy_score(y_train, model.predict(X_train)))}
    if len(getattr(model, "classes_", ())) == 2:
        proba = model.predict_proba(X_train)[:, 1]
        recomputed["training_roc_auc"] = float(roc_auc_score(y_train, proba))
    for name, value in recomputed.items():
        if name not in metrics:
            return f"it has no `{name}` metric"
        if not same_score(metrics[name], value):
            return (
                f"its `{name}` is {float(metrics[name]):.6f}, not the fitted forest's {value:.6f}"
            )
    return None


# ------------------------------------------------------------------------------------ optuna


@dataclass(frozen=True)
class Rescored:
    """A trial whose stored value the task's objective does not give for its parameters."""

    trial: TrialRecord
    told: float
    recomputed: float
    step: int | None = None  # for a reported intermediate value: its step


def trials_to_rescore(
    trials: Sequence[TrialRecord], best: TrialRecord | None, sample: int
) -> list[TrialRecord]:
    """The best trial and ``sample`` others drawn at random among ``trials``.

    The draw uses the operating system's randomness, so it differs at every judgement: a
    study whose every trial is genuine passes any draw, and one whose trials were told
    made-up values cannot know which of them will be looked at.
    """
    others = [t for t in trials if best is None or t.number != best.number]
    drawn = random.SystemRandom().sample(others, min(sample, len(others)))
    picked = ([best] if best is not None else []) + sorted(drawn, key=lambda t: t.number)
    return picked


def first_rescore_mismatch(
    trials: Iterable[TrialRecord],
    objective: Callable[[Mapping[str, Any]], float],
    tolerance: float = METRIC_TOLERANCE,
) -> Rescored | None:
    """The first trial whose value ``objective(params)`` does not reproduce, or None."""
    for trial in trials:
        if trial.value is None:
            continue
        recomputed = float(objective(trial.params))
        if not same_score(trial.value, recomputed, tolerance):
            return Rescored(trial, float(trial.value), recomputed)
    return None


def first_step_mismatch(
    trials: Iterable[TrialRecord],
    steps: Callable[[Mapping[str, Any], int], list[float]],
    tolerance: float = METRIC_TOLERANCE,
) -> Rescored | None:
    """The first reported intermediate value that ``steps`` does not reproduce, or None.

    ``steps(params, n)`` returns the values the task's objective reports at steps ``0 …
    n-1``; only the steps a trial reported are computed (a pruned trial stops early).
    """
    for trial in trials:
        reported = dict(sorted(trial.intermediate_values.items()))
        if not reported:
            continue
        values = steps(trial.params, max(reported) + 1)
        for step, told in reported.items():
            if not same_score(told, values[step], tolerance):
                return Rescored(trial, float(told), float(values[step]), step)
    return None


# ------------------------------------------------------------------------------------ models


def same_predictions(model: Any, other: Any, X: Any) -> bool:
    """Whether two fitted models predict the same on ``X`` (probabilities for classifiers)."""
    return provenance.same_outputs(model, other, X)


def refit_matches(model: Any, X_fit: Any, y_fit: Any, X_eval: Any) -> bool:
    """Whether a clone of ``model`` (same class and parameters) fitted on ``X_fit``, ``y_fit``
    predicts what ``model`` predicts on ``X_eval``."""
    return provenance.matches_fit(model, provenance.Rows("", X_fit, y_fit), X_eval)


def fitted_on(model: Any, candidates: Mapping[str, tuple[Any, Any]], X_eval: Any) -> str | None:
    """The name of the first candidate ``(X, y)`` whose refit reproduces ``model``, or None."""
    for name, (X_fit, y_fit) in candidates.items():
        if refit_matches(model, X_fit, y_fit, X_eval):
            return name
    return None


def forest_training_rows(model: Any) -> int | None:
    """How many rows a bagged forest was fitted on (its bootstrap size), whatever their order.

    Each tree of a forest with ``bootstrap=True`` and no ``max_samples`` draws as many rows
    as it was given, so the weighted size of its root is the number of training rows. None
    for any other model.
    """
    trees = getattr(model, "estimators_", None)
    if not trees or not getattr(model, "bootstrap", False) or getattr(model, "max_samples", None):
        return None
    tree = getattr(trees[0], "tree_", None)
    if tree is None:
        return None
    return round(float(tree.weighted_n_node_samples[0]))


# ------------------------------------------------------------------------------ explanations


def aligned_values(expl: Any, reference: Any) -> Any:
    """``expl``'s SHAP values as floats, columns in the reference's order of feature names."""
    import numpy as np

    values = np.asarray(expl.values, dtype=float)
    names = [str(n) for n in (expl.feature_names or ())]
    wanted = [str(n) for n in (reference.feature_names or ())]
    if values.ndim == 2 and names != wanted and sorted(names) == sorted(wanted):
        return values[:, [names.index(n) for n in wanted]]
    return values


def explained_outputs(expl: Any, values: Any) -> Any:
    """Each row's base value plus its SHAP values: the model output the row's values explain."""
    import numpy as np

    base = np.asarray(expl.base_values, dtype=float).reshape(-1)
    return np.broadcast_to(base, (len(values),)) + values.sum(axis=1)


def shap_agreement(expl: Any, reference: Any, rtol: float = 1e-6, atol: float = 1e-9) -> str:
    """How a SHAP explanation of the same rows relates to the reference's, for a binary model.

    ``"same"`` (the reference's values within ``rtol``, ``atol``), ``"opposite"`` (the other class:
    negated values, or values adding up to one minus the reference's probabilities),
    ``"valid"`` (another explainer: the values add up to the reference's outputs and correlate
    with its values at least :data:`MIN_SHAP_CORRELATION`) or ``"other"``. Both must hold
    2-D values of the same shape; the caller says what else is wrong.
    """
    import numpy as np

    got = aligned_values(expl, reference)
    want = np.asarray(reference.values, dtype=float)
    if np.allclose(got, want, rtol=rtol, atol=atol):
        return "same"
    if np.allclose(got, -want, rtol=rtol, atol=atol):
        return "opposite"
    if expl.base_values is None or reference.base_values is None:
        return "other"
    try:
        adds_up_to = explained_outputs(expl, got)
    except ValueError:  # base values of another shape
        return "other"
    outputs = explained_outputs(reference, want)
    if np.allclose(adds_up_to, 1 - outputs, atol=ADDITIVITY_TOLERANCE):
        return "opposite"
    if np.allclose(adds_up_to, outputs, atol=ADDITIVITY_TOLERANCE):
        correlation = float(np.corrcoef(got.ravel(), want.ravel())[0, 1])
        if correlation >= MIN_SHAP_CORRELATION:
            return "valid"
    return "other"
