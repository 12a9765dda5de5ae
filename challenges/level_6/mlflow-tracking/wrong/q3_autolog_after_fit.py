# targets: q3
# expect: before `.fit(...)`
# %% q3
tracking.configure(experiment="churn")

with mlflow.start_run() as run:
    model = RandomForestClassifier(n_estimators=100, max_depth=6, random_state=0)
    model.fit(X_train, y_train)
    mlflow.sklearn.autolog(log_models=False, log_datasets=False)
    mlflow.log_metric("roc_auc", roc_auc_score(y_test, model.predict_proba(X_test)[:, 1]))
mlflow.sklearn.autolog(disable=True)

autolog_run_id = run.info.run_id
