"""Custom checks for optuna-tuning: the studies are read from the learner's own Optuna storage.

A study is judged by what is stored in the data home (``ctx.stored_study``, read as data): its
direction, how many trials completed or were pruned, what they reported. The learner's
``study`` variables arrive as records of the study objects (name, storage, sampler and pruner
class), which say whether the study was stored at all and how it prunes. A study seeded with 0
over the task's search space proposes the same first trials on every run, whatever the
objective returns, so the learner's first trials must match those of a fresh seeded study.

The values are checked by re-scoring (:mod:`sandbox.grading.stores`): the best trial and a
random sample of the others are re-trained here with their parameters, and each stored value
must be what the task's objective gives (for the pruned search, every value a sampled trial
reported along the way too). A study whose trials were asked from the seeded sampler but told
made-up values fails, whichever trials were made up. The final model is scored on the
customers the grader keeps aside (every customer whose id is a multiple of 5,
``ctx.holdout()``), which the notebook never trains or tunes on, and must have been fitted on
the notebook's rows, all of them.
"""

from __future__ import annotations

import math
from typing import Any

from sandbox.grading import CheckContext, DataSpec, Fail, stores
from sandbox.grading.compare import describe_type
from sandbox.grading.records import StudyRecord

MIN_TRIALS = 15
# Trials compared for reproducibility: TPE's first trials are random draws from the seeded
# sampler, identical for any objective over the same search space.
SAME_FIRST_TRIALS = 5
# How far below the reference's final model a final model may score on the held-out customers.
HOLDOUT_MARGIN = 0.02
TUNED = ("n_estimators", "max_depth", "min_samples_leaf")
N_FOLDS = 3  # the steps each complete trial of rf-pruned reports
CV_TREES = 20  # the n_estimators of the pruned search's forests
# Trials re-trained besides the best one: a sample, drawn afresh at every judgement.
RESCORED_TRIALS = 4
RESCORED_PRUNED_TRIALS = 2


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
                "n_estimators (10 to 50, step 10), max_depth (2 to 12) and min_samples_leaf "
                "(1 to 40), in that order."
            )
    _check_objective(stored, ctx)


def _suggest(trial: Any) -> dict[str, int]:
    """The task's search space, suggested in the task's order."""
    return {
        "n_estimators": trial.suggest_int("n_estimators", 10, 50, step=10),
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


def _forest_on_split(params: Any, split: Any) -> Any:
    from sklearn.ensemble import RandomForestClassifier

    return RandomForestClassifier(**params, random_state=0).fit(split.X_train, split.y_train)


def _check_objective(stored: StudyRecord, ctx: CheckContext) -> None:
    """The best trial and a sample of the others must hold what the task's objective gives."""
    from sklearn.metrics import roc_auc_score

    split = ctx.split()
    best = stored.best_trial
    if best is None or best.value is None:
        raise Fail("The study `rf-tuning` has no complete trial with a value.")

    def objective(params: Any) -> float:
        model = _forest_on_split(params, split)
        return float(roc_auc_score(split.y_test, model.predict_proba(split.X_test)[:, 1]))

    picked = stores.trials_to_rescore(stored.complete_trials(), best, RESCORED_TRIALS)
    off = stores.first_rescore_mismatch(picked, objective)
    if off is None:
        return
    trial, value = off.trial, off.told
    which = "The best trial" if trial.number == best.number else f"Trial {trial.number}"
    model = _forest_on_split(trial.params, split)
    X_train, X_valid, y_train, y_valid = split
    if stores.same_score(value, float(roc_auc_score(y_train, model.predict_proba(X_train)[:, 1]))):
        raise Fail(
            f"{which} of `rf-tuning` scores {value:.4f}, the ROC AUC on the training "
            "rows. Scored there, the search rewards the forests that memorise best: return "
            "the score on `X_valid`, `y_valid`."
        )
    if stores.same_score(value, float(roc_auc_score(y_valid, model.predict(X_valid)))):
        raise Fail(
            f"{which} of `rf-tuning` scores {value:.4f}, a ROC AUC of `predict`'s 0/1 "
            "labels: score the probabilities, `model.predict_proba(X_valid)[:, 1]`."
        )
    raise Fail(
        f"{which} of `rf-tuning` holds {value:.4f}, but the task's objective gives "
        f"{off.recomputed:.4f} for its parameters ({dict(trial.params)}: a forest with "
        "random_state=0 trained on `X_train`, scored on `X_valid`). Every trial's value must "
        "be what the objective returned: `study.optimize(objective, ...)` (or `study.tell` with "
        "the objective's score), never a number of your own."
    )


def check_final_model(answer: dict[str, Any], expected: dict[str, Any], ctx: CheckContext) -> None:
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
    if model.random_state != 0:
        raise Fail(
            f"`final_model` has random_state={model.random_state!r}; the task's forest uses "
            "`random_state=0`."
        )
    X, y = ctx.learner_rows()
    X_holdout, y_holdout = ctx.holdout()
    columns = list(getattr(model, "feature_names_in_", []))
    if columns != list(X.columns):
        raise Fail(
            "`final_model` was trained on other columns than `X`: fit it on `X`, the notebook's "
            "prepared features."
        )
    _check_fitted_on_every_row(model, X, y, X_holdout, ctx)
    score = float(roc_auc_score(y_holdout, model.predict_proba(X_holdout)[:, 1]))
    reference = expected["final_model"]
    floor = float(roc_auc_score(y_holdout, reference.predict_proba(X_holdout)[:, 1]))
    floor -= HOLDOUT_MARGIN
    if score < floor or math.isnan(score):
        cause = (
            " Its settings come from `study`, which failed task 1: fix the search first."
            if ctx.passed_earlier("q1") is False
            else " Train it with `**study.best_params` on `X`, `y`."
        )
        raise Fail(
            f"`final_model` scores roc_auc = {score:.3f} on the held-out customers it never saw; "
            f"it needs at least {floor:.3f}.{cause}"
        )


def _check_fitted_on_every_row(
    model: Any, X: Any, y: Any, X_holdout: Any, ctx: CheckContext
) -> None:
    """``final_model`` must be fitted on all of ``X`` and ``y``, and on nothing else.

    A refit on ``X``, ``y`` reproduces it exactly. A forest fitted on the same rows in another
    order (training and validation rows put back together) draws other bootstrap samples and
    cannot be reproduced, but the number of rows its trees were drawn from still shows.
    """
    from sklearn.ensemble import RandomForestClassifier

    settings = {key: getattr(model, key) for key in TUNED}
    if stores.refit_matches(model, X, y, X_holdout):
        return
    rows = stores.forest_training_rows(model)
    split = ctx.split()
    train_only = RandomForestClassifier(**settings, random_state=0).fit(
        split.X_train, split.y_train
    )
    if rows == len(split.X_train) or stores.same_predictions(model, train_only, X_holdout):
        raise Fail(
            "`final_model` was fitted on the training rows only. The validation rows have done "
            "their job (choosing the settings): fit the final model on all of `X` and `y`."
        )
    if rows is not None and rows != len(X):
        raise Fail(
            f"`final_model` was fitted on {rows} rows, but `X` has {len(X)}: fit it on all of "
            "`X` and `y`, the rows of the notebook, and nothing else (the customers the grader "
            "keeps aside are not yours to train on)."
        )
    if rows is None:
        raise Fail(
            "`final_model` is not a forest fitted on `X`, `y`: fit it on all of `X` and `y`."
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
    _check_reported_scores(stored, ctx)


def _check_reported_scores(stored: StudyRecord, ctx: CheckContext) -> None:
    """A sample of trials must have reported, fold by fold, what the task's objective reports."""
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold

    X, y = ctx.learner_rows()
    folds = list(StratifiedKFold(N_FOLDS, shuffle=True, random_state=0).split(X, y))

    def steps(params: Any, n: int) -> list[float]:
        scores: list[float] = []
        means = []
        for fit_rows, score_rows in folds[:n]:
            model = RandomForestClassifier(n_estimators=CV_TREES, **params, random_state=0)
            model.fit(X.iloc[fit_rows], y.iloc[fit_rows])
            proba = model.predict_proba(X.iloc[score_rows])[:, 1]
            scores.append(float(roc_auc_score(y.iloc[score_rows], proba)))
            means.append(sum(scores) / len(scores))
        return means

    complete = stored.complete_trials()
    pruned = [t for t in stored.trials if t.state == "PRUNED"]
    best = stored.best_trial
    picked = stores.trials_to_rescore(complete, best, RESCORED_PRUNED_TRIALS - 1)
    picked += stores.trials_to_rescore(pruned, None, 1)
    off = stores.first_step_mismatch(picked, steps)
    if off is None:
        off = stores.first_rescore_mismatch(
            [t for t in picked if t.state == "COMPLETE"], lambda params: steps(params, N_FOLDS)[-1]
        )
    if off is None:
        return
    where = f"at step {off.step}" if off.step is not None else "as its value"
    raise Fail(
        f"Trial {off.trial.number} of `rf-pruned` ({off.trial.state.lower()}) reported "
        f"{off.told:.4f} {where}, but the task's objective gives {off.recomputed:.4f} there for "
        f"its parameters ({dict(off.trial.params)}): report the mean ROC AUC of the folds so far, "
        "`trial.report(np.mean(scores), step)`, and return the mean of all three. Every number "
        "in a study must come from training, never from your own hand."
    )
