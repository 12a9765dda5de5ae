# %% q1
tracking.configure(experiment="churn")

with mlflow.start_run() as run:
    model = RandomForestClassifier(n_estimators=100, max_depth=4, random_state=0)
    model.fit(X_train, y_train)
    mlflow.log_params({"n_estimators": 100, "max_depth": 4})
    mlflow.log_metric("roc_auc", roc_auc_score(y_test, model.predict_proba(X_test)[:, 1]))

first_run_id = run.info.run_id

# %% q2
tracking.configure(experiment="churn")

with mlflow.start_run() as run:
    model = RandomForestClassifier(n_estimators=100, max_depth=8, random_state=0)
    model.fit(X_train, y_train)
    mlflow.log_params({"n_estimators": 100, "max_depth": 8})
    mlflow.log_metric("roc_auc", roc_auc_score(y_test, model.predict_proba(X_test)[:, 1]))
    info = mlflow.sklearn.log_model(
        model,
        name="model",
        pip_requirements=["scikit-learn"],
        skops_trusted_types=["sklearn.tree._tree.Tree"],
    )

model_uri = info.model_uri

# %% q3
tracking.configure(experiment="churn")

mlflow.sklearn.autolog(log_models=False, log_datasets=False)
with mlflow.start_run() as run:
    model = RandomForestClassifier(n_estimators=100, max_depth=6, random_state=0)
    model.fit(X_train, y_train)
    mlflow.log_metric("roc_auc", roc_auc_score(y_test, model.predict_proba(X_test)[:, 1]))
mlflow.sklearn.autolog(disable=True)

autolog_run_id = run.info.run_id
