# targets: q1
# expect: in memory
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


study = optuna.create_study(
    study_name="rf-tuning",
    direction="maximize",
    sampler=optuna.samplers.TPESampler(seed=0),
)
study.optimize(objective, n_trials=15)
