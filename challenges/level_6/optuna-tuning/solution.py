# %% q1
def objective(trial):
    n_estimators = trial.suggest_int("n_estimators", 10, 50, step=10)
    max_depth = trial.suggest_int("max_depth", 2, 12)
    min_samples_leaf = trial.suggest_int("min_samples_leaf", 1, 40)
    model = RandomForestClassifier(
        n_estimators=n_estimators,
        max_depth=max_depth,
        min_samples_leaf=min_samples_leaf,
        random_state=0,
    )
    model.fit(X_train, y_train)
    return roc_auc_score(y_valid, model.predict_proba(X_valid)[:, 1])


study = tuning.create_study("rf-tuning", seed=0)
study.optimize(objective, n_trials=15)

# %% q2
final_model = RandomForestClassifier(**study.best_params, random_state=0)
final_model.fit(X, y)


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
        if trial.should_prune():
            raise optuna.TrialPruned()
    return np.mean(scores)


pruned_study = tuning.create_study(
    "rf-pruned", seed=0, pruner=optuna.pruners.MedianPruner(n_startup_trials=5)
)
pruned_study.optimize(cv_objective, n_trials=15)
