# targets: q2
# expect: filter_string
# %% q2
leaderboard = mlflow.search_runs(
    experiment_names=["churn-sweep"],
    order_by=["metrics.roc_auc DESC"],
)
best_run_id = leaderboard.loc[0, "run_id"]
