# targets: q2
# expect: DESC
# %% q2
median_auc = mlflow.search_runs(experiment_names=["churn-sweep"])["metrics.roc_auc"].median()
leaderboard = mlflow.search_runs(
    experiment_names=["churn-sweep"],
    filter_string=f"metrics.roc_auc > {median_auc}",
    order_by=["metrics.roc_auc"],
)
best_run_id = leaderboard.loc[0, "run_id"]
