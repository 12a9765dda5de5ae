# targets: q4
# expect: still reads `days_since_cancellation_request`
# %% q4
honest_model = RandomForestClassifier(n_estimators=100, max_depth=6, random_state=0, n_jobs=1)
honest_model.fit(X_train.drop(columns="days_since_last_login"), y_train)
honest_auc = roc_auc_score(
    y_test, honest_model.predict_proba(X_test.drop(columns="days_since_last_login"))[:, 1]
)
