# targets: q4
# expect: training rows
# %% q4
import mlflow

model = RandomForestClassifier(n_estimators=50, random_state=0, n_jobs=1, **best_params)
model.fit(X_train, y_train)
test_auc = roc_auc_score(y_train, model.predict_proba(X_train)[:, 1])

tracking.configure(experiment="capstone")
with mlflow.start_run(run_name="tuned-forest") as run:
    mlflow.log_params(best_params)
    mlflow.log_metric("test_roc_auc", test_auc)
run_id = run.info.run_id
