# targets: q2
# expect: outside any run
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
