# targets: q1, q2, q3
# Objectives that take their data as arguments (a lambda and functools.partial), parameters
# gathered in a dictionary, a progress callback, numpy arrays for the folds, and the final
# forest configured with `set_params`.
# %% q1
def forest_objective(trial, fit_X, fit_y, valid_X, valid_y):
    params = {
        "n_estimators": trial.suggest_int("n_estimators", 10, 50, step=10),
        "max_depth": trial.suggest_int("max_depth", 2, 12),
        "min_samples_leaf": trial.suggest_int("min_samples_leaf", 1, 40),
    }
    model = RandomForestClassifier(**params, random_state=0)
    model.fit(fit_X, fit_y)
    positive = list(model.classes_).index(1)
    return roc_auc_score(valid_y, model.predict_proba(valid_X)[:, positive])


progress = []


def remember(study, trial):
    progress.append((trial.number, trial.value))


study = tuning.create_study("rf-tuning", seed=0)
study.optimize(
    lambda trial: forest_objective(trial, X_train, y_train, X_valid, y_valid),
    n_trials=20,
    callbacks=[remember],
)
print(len(progress), "trials; best", study.best_value)

# %% q2
final_model = RandomForestClassifier(random_state=0).set_params(**study.best_params)
final_model = final_model.fit(X, y)

# %% q3
from functools import partial


def folds_objective(trial, features, target, folds):
    max_depth = trial.suggest_int("max_depth", 2, 12)
    min_samples_leaf = trial.suggest_int("min_samples_leaf", 1, 40)
    scores = []
    for step, (fit_rows, score_rows) in enumerate(folds):
        model = RandomForestClassifier(
            n_estimators=20,
            max_depth=max_depth,
            min_samples_leaf=min_samples_leaf,
            random_state=0,
        ).fit(features[fit_rows], target[fit_rows])
        scores.append(
            roc_auc_score(target[score_rows], model.predict_proba(features[score_rows])[:, 1])
        )
        trial.report(sum(scores) / len(scores), step=step)
        if trial.should_prune():
            raise optuna.TrialPruned(f"pruned after fold {step}")
    return sum(scores) / len(scores)


pruned_study = tuning.create_study(
    "rf-pruned", seed=0, pruner=optuna.pruners.MedianPruner(n_startup_trials=5)
)
pruned_study.optimize(
    partial(folds_objective, features=X.to_numpy(), target=y.to_numpy(), folds=FOLDS),
    n_trials=15,
)
