# %% q1
tracking.configure(experiment="churn-sweep")

sweep_run_ids = []
for depth in DEPTHS:
    with mlflow.start_run(run_name=f"depth-{depth}") as run:
        model = RandomForestClassifier(n_estimators=100, max_depth=depth, random_state=0)
        model.fit(X_train, y_train)
        mlflow.log_param("max_depth", depth)
        mlflow.log_metric("roc_auc", roc_auc_score(y_test, model.predict_proba(X_test)[:, 1]))
        mlflow.sklearn.log_model(
            model,
            name="model",
            pip_requirements=["scikit-learn"],
            skops_trusted_types=["sklearn.tree._tree.Tree"],
        )
    sweep_run_ids.append(run.info.run_id)

# %% q2
median_auc = mlflow.search_runs(experiment_names=["churn-sweep"])["metrics.roc_auc"].median()
leaderboard = mlflow.search_runs(
    experiment_names=["churn-sweep"],
    filter_string=f"metrics.roc_auc > {median_auc}",
    order_by=["metrics.roc_auc DESC"],
)
best_run_id = leaderboard.loc[0, "run_id"]

# %% q3
sweep = mlflow.get_experiment_by_name("churn-sweep")
best_models = mlflow.search_logged_models(
    experiment_ids=[sweep.experiment_id],
    filter_string=f"source_run_id = '{best_run_id}'",
    output_format="list",
)
version = mlflow.register_model(best_models[0].model_uri, "churn-classifier")

# %% q4
client = mlflow.MlflowClient()
client.set_registered_model_alias("churn-classifier", "champion", version.version)
champion = mlflow.sklearn.load_model("models:/churn-classifier@champion")
