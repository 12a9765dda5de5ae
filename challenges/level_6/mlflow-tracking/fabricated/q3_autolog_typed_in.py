# targets: q3
# expect: not what autolog leaves
# Autolog's bookkeeping typed in without a fit: every parameter of an unfitted forest, the
# estimator tags, and the training and test scores copied from an earlier answer.
# %% q3
tracking.configure(experiment="churn")

with mlflow.start_run() as run:
    unfitted = RandomForestClassifier(n_estimators=100, max_depth=6, random_state=0)
    mlflow.log_params(unfitted.get_params())
    mlflow.set_tags(
        {
            "estimator_name": "RandomForestClassifier",
            "estimator_class": "sklearn.ensemble._forest.RandomForestClassifier",
        }
    )
    mlflow.log_metrics(
        {
            "training_roc_auc": 0.9162234708178997,
            "training_accuracy_score": 0.8496,
            "roc_auc": 0.8384749873103604,
        }
    )

autolog_run_id = run.info.run_id
