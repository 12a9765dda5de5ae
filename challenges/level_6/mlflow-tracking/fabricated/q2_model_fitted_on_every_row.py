# targets: q2
# expect: every row, test rows included
# A leaky model logged properly: the forest is fitted on every row, the test rows included, and
# the run's roc_auc is computed honestly from it, so the number and the model agree.
# %% q2
tracking.configure(experiment="churn")

with mlflow.start_run() as run:
    model = RandomForestClassifier(n_estimators=100, max_depth=8, random_state=0)
    model.fit(pd.concat([X_train, X_test]), pd.concat([y_train, y_test]))
    mlflow.log_params({"n_estimators": 100, "max_depth": 8})
    mlflow.log_metric("roc_auc", roc_auc_score(y_test, model.predict_proba(X_test)[:, 1]))
    info = mlflow.sklearn.log_model(
        model,
        name="model",
        pip_requirements=["scikit-learn"],
        skops_trusted_types=["sklearn.tree._tree.Tree"],
    )

model_uri = info.model_uri
