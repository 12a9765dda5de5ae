# targets: q1, q2, q3, q4
# A helper function per depth with both parameters logged, the median taken with numpy over the
# runs as objects, a query by experiment id with the run id read through `iloc`, the model
# found from the run's own outputs, and the alias set with keyword arguments.
# %% q1
tracking.configure(experiment="churn-sweep")


def log_depth(depth):
    with mlflow.start_run(run_name=f"depth-{depth}") as depth_run:
        forest = RandomForestClassifier(n_estimators=100, max_depth=depth, random_state=0)
        forest.fit(X_train, y_train)
        mlflow.log_params({"n_estimators": 100, "max_depth": depth})
        scores = forest.predict_proba(X_test)[:, list(forest.classes_).index(1)]
        mlflow.log_metric("roc_auc", roc_auc_score(y_test, scores))
        mlflow.sklearn.log_model(
            forest,
            name="model",
            pip_requirements=["scikit-learn"],
            skops_trusted_types=["sklearn.tree._tree.Tree"],
        )
    return depth_run.info.run_id


sweep_run_ids = [log_depth(depth) for depth in DEPTHS]

# %% q2
import numpy as np

sweep_experiment = mlflow.get_experiment_by_name("churn-sweep")
all_runs = mlflow.search_runs(experiment_ids=[sweep_experiment.experiment_id], output_format="list")
middle = float(np.median([r.data.metrics["roc_auc"] for r in all_runs]))
leaderboard = mlflow.search_runs(
    experiment_ids=[sweep_experiment.experiment_id],
    filter_string="metrics.roc_auc > " + str(middle),
    order_by=["metrics.roc_auc DESC"],
)
best_run_id = leaderboard["run_id"].iloc[0]

# %% q3
best_run = mlflow.get_run(best_run_id)
best_model_id = best_run.outputs.model_outputs[0].model_id
version = mlflow.register_model(f"models:/{best_model_id}", "churn-classifier")

# %% q4
registry = mlflow.MlflowClient()
registry.set_registered_model_alias(
    name="churn-classifier", alias="champion", version=int(version.version)
)
champion = mlflow.sklearn.load_model(f"models:/{version.name}@champion")
