# targets: q1
# expect: predict_proba
# %% q1
tracking.configure(experiment="churn")

with mlflow.start_run() as run:
    model = RandomForestClassifier(n_estimators=100, max_depth=4, random_state=0)
    model.fit(X_train, y_train)
    mlflow.log_params({"n_estimators": 100, "max_depth": 4})
    mlflow.log_metric("roc_auc", roc_auc_score(y_test, model.predict(X_test)))

first_run_id = run.info.run_id
