# targets: q4
# expect: every row, test rows included
# The tuned forest fitted on every row, the test rows included, and its flattering test score
# logged honestly from it.
# %% q4
import mlflow

model = RandomForestClassifier(n_estimators=50, random_state=0, n_jobs=1, **best_params)
model.fit(X, y)
test_auc = roc_auc_score(y_test, model.predict_proba(X_test)[:, 1])

tracking.configure(experiment="capstone")
with mlflow.start_run(run_name="tuned-forest") as run:
    mlflow.log_params(best_params)
    mlflow.log_metric("test_roc_auc", test_auc)
run_id = run.info.run_id
