# targets: q3
# expect: never from your own hand
# A pruned search with nothing trained: each trial reports made-up fold scores, the later ones
# lower so that the pruner stops them, and completes with their mean.
# %% q3
pruned_study = tuning.create_study(
    "rf-pruned", seed=0, pruner=optuna.pruners.MedianPruner(n_startup_trials=5)
)


def made_up_objective(trial):
    trial.suggest_int("max_depth", 2, 12)  # asked, never used
    trial.suggest_int("min_samples_leaf", 1, 40)
    scores = []
    for step in range(3):
        scores.append(0.90 - trial.number / 100 - step / 1000)
        trial.report(np.mean(scores), step)
        if trial.should_prune():
            raise optuna.TrialPruned()
    return np.mean(scores)


pruned_study.optimize(made_up_objective, n_trials=15)
