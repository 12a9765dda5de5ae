# targets: q1
# expect: training rows
# %% q1
tracking.configure(experiment="churn")

with mlflow.start_run() as run:
    model = RandomForestClassifier(n_estimators=100, max_depth=4, random_state=0)
    model.fit(X_train, y_train)
    mlflow.log_params({"n_estimators": 100, "max_depth": 4})
    mlflow.log_metric("roc_auc", roc_auc_score(y_train, model.predict_proba(X_train)[:, 1]))

first_run_id = run.info.run_id
