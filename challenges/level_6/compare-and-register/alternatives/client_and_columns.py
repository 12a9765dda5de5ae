# targets: q1, q2, q3, q4
# Runs opened by experiment id without `with`, the median taken with `statistics` over the runs
# of task 1, a leaderboard trimmed to the columns worth reading, the model found with the
# client's search, and the alias set through a fresh client.
# %% q1
sweep_id = tracking.ensure_experiment("churn-sweep")
tracking.configure(experiment="churn-sweep")
sweep_run_ids = []
for depth in DEPTHS:
    active = mlflow.start_run(experiment_id=sweep_id)
    model = RandomForestClassifier(n_estimators=100, max_depth=depth, random_state=0)
    model.fit(X_train, y_train)
    mlflow.log_param("max_depth", depth)
    mlflow.log_metric("roc_auc", roc_auc_score(y_test, model.predict_proba(X_test)[:, 1]))
    mlflow.sklearn.log_model(
        sk_model=model,
        name="model",
        pip_requirements=["scikit-learn"],
        skops_trusted_types=["sklearn.tree._tree.Tree"],
    )
    sweep_run_ids.append(active.info.run_id)
    mlflow.end_run()

# %% q2
import statistics

bar = statistics.median(mlflow.get_run(run_id).data.metrics["roc_auc"] for run_id in sweep_run_ids)
leaderboard = mlflow.search_runs(
    experiment_names=["churn-sweep"],
    filter_string=f"metrics.`roc_auc` > {bar!r}",
    order_by=["metrics.roc_auc DESC"],
)[["run_id", "params.max_depth", "metrics.roc_auc"]]
best_run_id = str(leaderboard.run_id[0])

# %% q3
from mlflow import MlflowClient

client = MlflowClient()
sweep = client.get_experiment_by_name("churn-sweep")
found = client.search_logged_models(
    experiment_ids=[sweep.experiment_id], filter_string=f"source_run_id = '{best_run_id}'"
)
version = mlflow.register_model(found[0].model_uri, name="churn-classifier")

# %% q4
from mlflow import MlflowClient

MlflowClient().set_registered_model_alias("churn-classifier", "champion", version.version)
champion = mlflow.sklearn.load_model("models:/churn-classifier@champion")
