# targets: q1
# expect: did not create
# A run written straight into mlflow.db with sqlite3: the right parameters and the right test
# ROC AUC, copied from an earlier answer, and no forest trained at all.
# %% q1
import sqlite3
import time
import uuid

tracking.configure(experiment="churn")
churn_experiment_id = mlflow.get_experiment_by_name("churn").experiment_id
copied_roc_auc = 0.8313969883255317
fake_id = uuid.uuid4().hex
now = int(time.time() * 1000)
with sqlite3.connect(tracking.db_path()) as db:
    db.execute(
        "INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name, user_id,"
        " status, start_time, end_time, source_version, lifecycle_stage, artifact_uri,"
        " experiment_id) VALUES (?, 'first-run', 'LOCAL', '', '', 'me', 'FINISHED', ?, ?, '',"
        " 'active', '', ?)",
        (fake_id, now, now + 1000, int(churn_experiment_id)),
    )
    db.executemany(
        "INSERT INTO params (key, value, run_uuid) VALUES (?, ?, ?)",
        [("n_estimators", "100", fake_id), ("max_depth", "4", fake_id)],
    )
    for table in ("metrics", "latest_metrics"):
        db.execute(
            f"INSERT INTO {table} (key, value, timestamp, run_uuid, step, is_nan)"
            " VALUES ('roc_auc', ?, ?, ?, 0, 0)",
            (copied_roc_auc, now + 500, fake_id),
        )
first_run_id = fake_id
