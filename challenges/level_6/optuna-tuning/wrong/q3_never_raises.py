# targets: q3
# expect: TrialPruned
# %% q3
def cv_objective(trial):
    max_depth = trial.suggest_int("max_depth", 2, 12)
    min_samples_leaf = trial.suggest_int("min_samples_leaf", 1, 40)
    scores = []
    for step, (fit_rows, score_rows) in enumerate(FOLDS):
        model = RandomForestClassifier(
            n_estimators=20,
            max_depth=max_depth,
            min_samples_leaf=min_samples_leaf,
            random_state=0,
        )
        model.fit(X.iloc[fit_rows], y.iloc[fit_rows])
        proba = model.predict_proba(X.iloc[score_rows])[:, 1]
        scores.append(roc_auc_score(y.iloc[score_rows], proba))
        trial.report(np.mean(scores), step)
        trial.should_prune()
    return np.mean(scores)


pruned_study = tuning.create_study(
    "rf-pruned", seed=0, pruner=optuna.pruners.MedianPruner(n_startup_trials=5)
)
pruned_study.optimize(cv_objective, n_trials=15)
