# targets: q1, q2, q3
# The fluent API without `with` blocks: runs opened and ended by hand, every parameter of the
# estimator logged, the score taken through a scorer, the model fitted before its run opens
# and logged with a signature, and autolog switched off with the library-wide switch.
# %% q1
from sklearn.metrics import get_scorer

tracking.configure(experiment="churn")
run = mlflow.start_run(run_name="rf-4")
rf = RandomForestClassifier(n_estimators=100, max_depth=4, random_state=0).fit(X_train, y_train)
mlflow.log_params(rf.get_params())
mlflow.log_metric("roc_auc", get_scorer("roc_auc")(rf, X_test, y_test))
first_run_id = mlflow.active_run().info.run_id
mlflow.end_run()

# %% q2
from mlflow.models import infer_signature

rf_deep = RandomForestClassifier(n_estimators=100, max_depth=8, random_state=0)
rf_deep.fit(X_train, y_train)
test_auc = roc_auc_score(y_test, rf_deep.predict_proba(X_test)[:, 1])

tracking.configure(experiment="churn")
mlflow.start_run(run_name="rf-8")
mlflow.log_param("n_estimators", rf_deep.n_estimators)
mlflow.log_param("max_depth", rf_deep.max_depth)
mlflow.log_metric("roc_auc", test_auc)
info = mlflow.sklearn.log_model(
    sk_model=rf_deep,
    name="model",
    signature=infer_signature(X_train, rf_deep.predict(X_train)),
    pip_requirements=["scikit-learn"],
    skops_trusted_types=["sklearn.tree._tree.Tree"],
)
mlflow.end_run()
model_uri = info.model_uri

# %% q3
tracking.configure(experiment="churn")
mlflow.sklearn.autolog(log_models=False, log_datasets=False, silent=True)
run = mlflow.start_run(run_name="rf-6-autolog")
rf_auto = RandomForestClassifier(n_estimators=100, max_depth=6, random_state=0)
rf_auto.fit(X_train, y_train)
probabilities = rf_auto.predict_proba(X_test)
mlflow.log_metric("roc_auc", roc_auc_score(y_test, probabilities[:, 1]))
autolog_run_id = run.info.run_id
mlflow.end_run()
mlflow.autolog(disable=True)
