# targets: q4
# expect: every row, test rows included
# The honest forest fitted without the leak, but on every row, the test rows included: its test
# ROC AUC is computed honestly from it, and flatters it.
# %% q4
LEAK = "days_since_cancellation_request"
honest_model = RandomForestClassifier(n_estimators=100, max_depth=6, random_state=0, n_jobs=1)
honest_model.fit(X.drop(columns=LEAK), y)
honest_auc = roc_auc_score(y_test, honest_model.predict_proba(X_test.drop(columns=LEAK))[:, 1])
