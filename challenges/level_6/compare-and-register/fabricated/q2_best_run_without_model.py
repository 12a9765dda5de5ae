# targets: q2
# expect: has no logged model
# A "best run" made by hand: a run of churn-sweep with the best score copied from the sweep and
# no model behind it. Being the newest of the tied runs, it heads the leaderboard.
# %% q2
tracking.configure(experiment="churn-sweep")
best_so_far = mlflow.search_runs(
    experiment_names=["churn-sweep"], order_by=["metrics.roc_auc DESC"], max_results=1
)
with mlflow.start_run(run_name="copied-best") as copied:
    mlflow.log_param("max_depth", best_so_far.loc[0, "params.max_depth"])
    mlflow.log_metric("roc_auc", float(best_so_far.loc[0, "metrics.roc_auc"]))

median_auc = mlflow.search_runs(experiment_names=["churn-sweep"])["metrics.roc_auc"].median()
leaderboard = mlflow.search_runs(
    experiment_names=["churn-sweep"],
    filter_string=f"metrics.roc_auc > {median_auc}",
    order_by=["metrics.roc_auc DESC"],
)
best_run_id = copied.info.run_id
