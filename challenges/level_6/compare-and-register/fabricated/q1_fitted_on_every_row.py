# targets: q1
# expect: every row, test rows included
# A leaky sweep: each forest is fitted on every row, the test rows included, and its roc_auc is
# computed honestly from that model, so each run's number and model agree.
# %% q1
tracking.configure(experiment="churn-sweep")

sweep_run_ids = []
for depth in DEPTHS:
    with mlflow.start_run(run_name=f"depth-{depth}") as run:
        model = RandomForestClassifier(n_estimators=100, max_depth=depth, random_state=0)
        model.fit(pd.concat([X_train, X_test]), pd.concat([y_train, y_test]))
        mlflow.log_param("max_depth", depth)
        mlflow.log_metric("roc_auc", roc_auc_score(y_test, model.predict_proba(X_test)[:, 1]))
        mlflow.sklearn.log_model(
            model,
            name="model",
            pip_requirements=["scikit-learn"],
            skops_trusted_types=["sklearn.tree._tree.Tree"],
        )
    sweep_run_ids.append(run.info.run_id)
