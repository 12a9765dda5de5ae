# targets: q3
# expect: maximize
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
    return cross_val_score(forest, X_train, y_train, cv=3, scoring="roc_auc").mean()


study = tuning.create_study("capstone-tuning", direction="minimize", seed=0)
study.optimize(objective, n_trials=10)
best_params = study.best_params
