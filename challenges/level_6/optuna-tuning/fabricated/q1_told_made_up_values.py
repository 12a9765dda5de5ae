# targets: q1
# expect: never a number of your own
# Trials asked from the seeded sampler, so their parameters are the real ones, but only the
# first is trained: the other fourteen are told made-up scores below it, so the best trial is
# a genuine one.
# %% q1
study = tuning.create_study("rf-tuning", seed=0)
for number in range(15):
    trial = study.ask()
    params = {
        "n_estimators": trial.suggest_int("n_estimators", 10, 50, step=10),
        "max_depth": trial.suggest_int("max_depth", 2, 12),
        "min_samples_leaf": trial.suggest_int("min_samples_leaf", 1, 40),
    }
    if number == 0:
        model = RandomForestClassifier(**params, random_state=0).fit(X_train, y_train)
        study.tell(trial, roc_auc_score(y_valid, model.predict_proba(X_valid)[:, 1]))
    else:
        study.tell(trial, 0.70 + number / 1000)
