# targets: q3
# expect: did not log
# A version that claims the best run but holds another model: one fitted on every row, logged
# in a run of its own, registered with the best run's id written on it.
# %% q3
tracking.configure(experiment="churn-sweep")
with mlflow.start_run(run_name="everything") as other_run:
    everything = RandomForestClassifier(n_estimators=100, max_depth=8, random_state=0)
    everything.fit(pd.concat([X_train, X_test]), pd.concat([y_train, y_test]))
    other_info = mlflow.sklearn.log_model(
        everything,
        name="model",
        pip_requirements=["scikit-learn"],
        skops_trusted_types=["sklearn.tree._tree.Tree"],
    )
mlflow.MlflowClient().delete_run(other_run.info.run_id)  # out of the leaderboard

import contextlib

registry = mlflow.MlflowClient()
with contextlib.suppress(mlflow.exceptions.MlflowException):  # registered by an earlier run
    registry.create_registered_model("churn-classifier")
version = registry.create_model_version(
    "churn-classifier",
    source=other_info.model_uri,
    run_id=best_run_id,
    model_id=other_info.model_id,
)
