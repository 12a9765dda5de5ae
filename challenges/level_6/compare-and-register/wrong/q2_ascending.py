# targets: q2
# expect: DESC
# %% q2
leaderboard = mlflow.search_runs(
    experiment_names=["churn-sweep"],
    filter_string="metrics.roc_auc > 0.835",
    order_by=["metrics.roc_auc"],
)
best_run_id = leaderboard.loc[0, "run_id"]
