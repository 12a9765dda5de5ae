# targets: q3
# expect: not the best
# %% q3
last_models = mlflow.search_logged_models(
    experiment_ids=[mlflow.get_experiment_by_name("churn-sweep").experiment_id],
    filter_string=f"source_run_id = '{sweep_run_ids[-1]}'",
    output_format="list",
)
version = mlflow.register_model(last_models[0].model_uri, "churn-classifier")
