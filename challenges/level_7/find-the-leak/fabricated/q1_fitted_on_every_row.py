# targets: q1
# expect: every row, test rows included
# The forest fitted on every row, the test rows included, and its ROC AUC measured honestly on
# the test rows it has seen.
# %% q1
leaky_model = RandomForestClassifier(n_estimators=100, max_depth=6, random_state=0, n_jobs=1)
leaky_model.fit(X, y)
leaky_auc = roc_auc_score(y_test, leaky_model.predict_proba(X_test)[:, 1])
