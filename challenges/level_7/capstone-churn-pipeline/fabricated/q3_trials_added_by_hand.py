# targets: q3
# expect: never from your own hand
# A study of add_trial calls with nothing trained: ten parameter sets with made-up scores, the
# last one the "best".
# %% q3
X = features.drop(columns=["customer_id", "churned"])
y = features["churned"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, random_state=0, stratify=y
)

space = {
    "max_depth": optuna.distributions.IntDistribution(2, 10),
    "min_samples_leaf": optuna.distributions.IntDistribution(1, 50),
    "max_features": optuna.distributions.FloatDistribution(0.2, 1.0),
}
study = tuning.create_study("capstone-tuning", seed=0)
for i in range(10):
    study.add_trial(
        optuna.trial.create_trial(
            params={"max_depth": 2 + i % 9, "min_samples_leaf": 5 * i + 1, "max_features": 0.5},
            distributions=space,
            value=0.80 + i / 100,
        )
    )
best_params = study.best_params
