"""Custom checks for optuna-tuning: the studies are read from the learner's own Optuna storage.

A study is judged by what is stored in the data home (``ctx.stored_study``, read as data): its
direction, how many trials completed or were pruned, what they reported. The learner's
``study`` variables arrive as records of the study objects (name, storage, sampler and pruner
class), which say whether the study was stored at all and how it prunes. A study seeded with 0 over the task's
search space proposes the same first trials on every run, whatever the objective returns, so
the learner's first trials must match those of a fresh seeded study; and the best trial's value
must be what the task's objective gives for its parameters (one forest, re-trained here). The
final model is scored on the customers the grader keeps aside (every customer whose id is a
multiple of 5, ``ctx.holdout()``), which the notebook never trains or tunes on.
"""

from __future__ import annotations

import math
from typing import Any

from sandbox.grading import CheckContext, DataSpec, Fail
from sandbox.grading.compare import describe_type
from sandbox.grading.records import StudyRecord

MIN_TRIALS = 20
# Trials compared for reproducibility: TPE's first trials are random draws from the seeded
# sampler, identical for any objective over the same search space.
SAME_FIRST_TRIALS = 5
# How far below the reference's final model a final model may score on the held-out customers.
HOLDOUT_MARGIN = 0.02
TUNED = ("n_estimators", "max_depth", "min_samples_leaf")
N_FOLDS = 5  # the steps each complete trial of rf-pruned reports


# The notebook's rows: the customers whose id is not a multiple of 5 (the others are the
# grader's), without the identifier, the target and the leaky column, one-hot encoded; then the
# training and validation rows of the search.
DATA = DataSpec(
    dataset="churn",
    target="churned",
    drop=("customer_id", "days_since_cancellation_request"),
    dummies=True,
    holdout=("customer_id", 5),
    test_size=0.25,
    stratify=True,
    random_state=0,
)


def _stored_study(study: Any, name: str, variable: str, ctx: CheckContext) -> StudyRecord:
    """The study ``name`` in the learner's storage, after checking the learner's object."""
    if not isinstance(study, StudyRecord):
        raise Fail(
            f"`{variable}` is {describe_type(study)}; expected the Optuna study, what "
            f'`tuning.create_study("{name}", ...)` returns.'
        )
    if study.study_name != name:
        raise Fail(f"`{variable}` is the study {study.study_name!r}; name it {name!r}.")
    stored: StudyRecord | None = ctx.stored_study(name)
    if stored is None:
        raise Fail(
            f"There is no study {name!r} in the Optuna storage of your data home, so `{variable}` "
            "lives in memory only and is gone when the kernel stops: create it with "
            f'`tuning.create_study("{name}", seed=0)`, which stores it.'
        )
    return stored


def _states(study: StudyRecord) -> dict[str, int]:
    counts: dict[str, int] = {}
    for trial in study.trials:
        counts[trial.state] = counts.get(trial.state, 0) + 1
    return counts


def check_study(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    stored = _stored_study(answer["study"], "rf-tuning", "study", ctx)
    if stored.direction != "MAXIMIZE":
        raise Fail(
            "The study `rf-tuning` minimizes its objective, so it hunts for the *worst* ROC AUC: "
            'create it to maximize, as `tuning.create_study("rf-tuning", seed=0)` does '
            '(plain `optuna.create_study` needs `direction="maximize"`).'
        )
    complete = _states(stored).get("COMPLETE", 0)
    if complete < MIN_TRIALS:
        raise Fail(
            f"The study `rf-tuning` has {complete} complete trials; the task asks for at least "
            f"{MIN_TRIALS}: `study.optimize(objective, n_trials={MIN_TRIALS})`."
        )
    for mine, theirs in zip(stored.trials, _seeded_first_trials(), strict=False):
        if dict(mine.params) != theirs:
            tried = ", ".join(f"{k}={v}" for k, v in mine.params.items()) or "nothing"
            raise Fail(
                f"The study `rf-tuning` is not reproducible: its trial {mine.number} tried "
                f"{tried}, where a study seeded with 0 over the task's search space tries other "
                'values. Create it with `tuning.create_study("rf-tuning", seed=0)` and suggest '
                "n_estimators (20 to 100, step 20), max_depth (2 to 12) and min_samples_leaf "
                "(1 to 40), in that order."
            )
    _check_objective(stored, ctx)


def _suggest(trial: Any) -> dict[str, int]:
    """The task's search space, suggested in the task's order."""
    return {
        "n_estimators": trial.suggest_int("n_estimators", 20, 100, step=20),
        "max_depth": trial.suggest_int("max_depth", 2, 12),
        "min_samples_leaf": trial.suggest_int("min_samples_leaf", 1, 40),
    }


def _seeded_first_trials() -> list[dict[str, int]]:
    """The parameters of the first trials of any study seeded with 0 over the task's space.

    TPE starts with random draws (its first 10 trials), which do not depend on the scores the
    objective returns, so asking an in-memory study for them needs no training at all.
    """
    import optuna

    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=0))
    params = []
    for _ in range(SAME_FIRST_TRIALS):
        trial = study.ask()
        params.append(_suggest(trial))
        study.tell(trial, 0.0)
    return params


def _check_objective(stored: StudyRecord, ctx: CheckContext) -> None:
    """The best trial's value must be the validation ROC AUC of a forest with its parameters."""
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.metrics import roc_auc_score

    X_train, X_valid, y_train, y_valid = ctx.split()
    best = stored.best_trial
    if best is None or best.value is None:
        raise Fail("The study `rf-tuning` has no complete trial with a value.")
    model = RandomForestClassifier(**best.params, random_state=0).fit(X_train, y_train)
    value = float(best.value)
    if math.isclose(
        value,
        float(roc_auc_score(y_valid, model.predict_proba(X_valid)[:, 1])),
        rel_tol=1e-9,
        abs_tol=1e-9,
    ):
        return
    if math.isclose(
        value,
        float(roc_auc_score(y_train, model.predict_proba(X_train)[:, 1])),
        rel_tol=1e-9,
        abs_tol=1e-9,
    ):
        raise Fail(
            f"The best trial of `rf-tuning` scores {value:.4f}, the ROC AUC on the training "
            "rows. Scored there, the search rewards the forests that memorise best: return "
            "the score on `X_valid`, `y_valid`."
        )
    if math.isclose(
        value,
        float(roc_auc_score(y_valid, model.predict(X_valid))),
        rel_tol=1e-9,
        abs_tol=1e-9,
    ):
        raise Fail(
            f"The best trial of `rf-tuning` scores {value:.4f}, a ROC AUC of `predict`'s 0/1 "
            "labels: score the probabilities, `model.predict_proba(X_valid)[:, 1]`."
        )
    raise Fail(
        f"The best trial of `rf-tuning` scores {value:.4f}, which is not the validation ROC AUC "
        f"of a forest with its parameters ({dict(best.params)}, random_state=0) trained on `X_train`: "
        "the objective should return `roc_auc_score(y_valid, model.predict_proba(X_valid)[:, 1])`."
    )


def check_final_model(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    import numpy as np
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.exceptions import NotFittedError
    from sklearn.metrics import roc_auc_score
    from sklearn.utils.validation import check_is_fitted

    model = answer["final_model"]
    if not isinstance(model, RandomForestClassifier):
        raise Fail(
            f"`final_model` is {describe_type(model)}; expected a RandomForestClassifier "
            "with the best parameters of the study."
        )
    try:
        check_is_fitted(model)
    except NotFittedError:
        raise Fail("`final_model` is not fitted yet: call `final_model.fit(X, y)`.") from None
    stored = _stored_study(answer["study"], "rf-tuning", "study", ctx)
    best_trial = stored.best_trial
    best = dict(best_trial.params) if best_trial is not None else {}
    for key in TUNED:
        if key in best and getattr(model, key) != best[key]:
            raise Fail(
                f"`final_model` has {key}={getattr(model, key)}, but the best trial of "
                f"`rf-tuning` found {key}={best[key]}: build it with "
                "`RandomForestClassifier(**study.best_params, random_state=0)`."
            )
    X, _ = ctx.learner_rows()
    X_holdout, y_holdout = ctx.holdout()
    columns = list(getattr(model, "feature_names_in_", []))
    if columns != list(X.columns):
        raise Fail(
            "`final_model` was trained on other columns than `X`: fit it on `X`, the notebook's "
            "prepared features."
        )
    settings = {key: getattr(model, key) for key in TUNED}
    train_only = RandomForestClassifier(**settings, random_state=0)
    split = ctx.split()
    train_only.fit(split.X_train, split.y_train)
    if model.random_state == 0 and np.allclose(
        model.predict_proba(X_holdout), train_only.predict_proba(X_holdout)
    ):
        raise Fail(
            "`final_model` was fitted on the training rows only. The validation rows have done "
            "their job (choosing the settings): fit the final model on all of `X` and `y`."
        )
    score = float(roc_auc_score(y_holdout, model.predict_proba(X_holdout)[:, 1]))
    reference = expected["final_model"]
    floor = float(roc_auc_score(y_holdout, reference.predict_proba(X_holdout)[:, 1]))
    floor -= HOLDOUT_MARGIN
    if score < floor or math.isnan(score):
        raise Fail(
            f"`final_model` scores roc_auc = {score:.3f} on the held-out customers it never saw; "
            f"it needs at least {floor:.3f}. Train it with `**study.best_params` on `X`, `y`."
        )


def check_pruned_study(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
    pruned_study = answer["pruned_study"]
    stored = _stored_study(pruned_study, "rf-pruned", "pruned_study", ctx)
    # The storage does not keep the pruner: the learner's study object says which one it used.
    if pruned_study.pruner != "MedianPruner":
        raise Fail(
            f"`pruned_study` prunes with {pruned_study.pruner}; create it with "
            "`pruner=optuna.pruners.MedianPruner(n_startup_trials=5)`."
        )
    states = _states(stored)
    finished = states.get("COMPLETE", 0) + states.get("PRUNED", 0)
    if finished < MIN_TRIALS:
        raise Fail(
            f"The study `rf-pruned` has {finished} finished trials (complete or pruned); run "
            f"{MIN_TRIALS}: `pruned_study.optimize(cv_objective, n_trials={MIN_TRIALS})`."
        )
    complete = stored.complete_trials()
    if not any(t.intermediate_values for t in stored.trials):
        raise Fail(
            "No trial of `rf-pruned` reported a score along the way, so the pruner has nothing "
            "to compare: call `trial.report(np.mean(scores), step)` after each fold."
        )
    short = [t for t in complete if len(t.intermediate_values) < N_FOLDS]
    if short:
        raise Fail(
            f"Trial {short[0].number} of `rf-pruned` completed with "
            f"{len(short[0].intermediate_values)} reported step(s); report once per fold, with "
            "the fold's number as the step: `trial.report(np.mean(scores), step)`."
        )
    if states.get("PRUNED", 0) == 0:
        raise Fail(
            "No trial of `rf-pruned` was pruned. `trial.should_prune()` only answers the "
            "question; when it is True, stop the trial with `raise optuna.TrialPruned()`."
        )
