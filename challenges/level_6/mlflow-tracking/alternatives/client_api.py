# targets: q1, q2, q3
# The MlflowClient instead of the fluent API: runs created and closed by id, parameters logged
# one by one, the positive class's column found from `classes_`, and autolog left to open its
# own run around the fit.
# %% q1
from mlflow import MlflowClient

tracking.configure(experiment="churn")
client = MlflowClient()
churn_experiment = client.get_experiment_by_name("churn")

created = client.create_run(churn_experiment.experiment_id, run_name="forest-depth-4")
forest4 = RandomForestClassifier(n_estimators=100, max_depth=4, random_state=0)
forest4.fit(X_train, y_train)
client.log_param(created.info.run_id, "n_estimators", 100)
client.log_param(created.info.run_id, "max_depth", 4)
positive = list(forest4.classes_).index(1)
client.log_metric(
    created.info.run_id,
    "roc_auc",
    roc_auc_score(y_test, forest4.predict_proba(X_test)[:, positive]),
)
client.set_terminated(created.info.run_id)
first_run_id = created.info.run_id

# %% q2
from mlflow import MlflowClient

tracking.configure(experiment="churn")
client = MlflowClient()
churn_experiment = client.get_experiment_by_name("churn")

created = client.create_run(churn_experiment.experiment_id, run_name="forest-depth-8")
forest8 = RandomForestClassifier(n_estimators=100, max_depth=8, random_state=0)
forest8.fit(X_train, y_train)
client.log_param(created.info.run_id, "n_estimators", 100)
client.log_param(created.info.run_id, "max_depth", 8)
client.log_metric(
    created.info.run_id, "roc_auc", roc_auc_score(y_test, forest8.predict_proba(X_test)[:, 1])
)
# log_model files the model under the active run, so the client's run is resumed for it.
with mlflow.start_run(run_id=created.info.run_id):
    logged = mlflow.sklearn.log_model(
        forest8,
        name="model",
        pip_requirements=["scikit-learn"],
        skops_trusted_types=["sklearn.tree._tree.Tree"],
    )
model_uri = f"models:/{logged.model_id}"

# %% q3
from mlflow import MlflowClient

tracking.configure(experiment="churn")
mlflow.sklearn.autolog(log_models=False, log_datasets=False)
# With no run open, autolog opens one around the fit and closes it afterwards.
forest6 = RandomForestClassifier(n_estimators=100, max_depth=6, random_state=0)
forest6.fit(X_train, y_train)
autologged = mlflow.last_active_run()
MlflowClient().log_metric(
    autologged.info.run_id, "roc_auc", roc_auc_score(y_test, forest6.predict_proba(X_test)[:, 1])
)
mlflow.sklearn.autolog(disable=True)
autolog_run_id = autologged.info.run_id
