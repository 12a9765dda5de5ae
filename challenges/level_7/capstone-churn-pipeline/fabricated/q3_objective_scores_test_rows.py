# targets: q3
# expect: on the test rows
# An objective that picks the settings by their score on the test rows, the rows meant for the
# final, honest score.
# %% q3
X = features.drop(columns=["customer_id", "churned"])
y = features["churned"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, random_state=0, stratify=y
)


def objective(trial):
    forest = RandomForestClassifier(
        n_estimators=50,
        max_depth=trial.suggest_int("max_depth", 2, 10),
        min_samples_leaf=trial.suggest_int("min_samples_leaf", 1, 50),
        max_features=trial.suggest_float("max_features", 0.2, 1.0),
        random_state=0,
        n_jobs=1,
    )
    forest.fit(X_train, y_train)
    return roc_auc_score(y_test, forest.predict_proba(X_test)[:, 1])


study = tuning.create_study("capstone-tuning", seed=0)
study.optimize(objective, n_trials=10)
best_params = study.best_params
