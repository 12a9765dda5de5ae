# targets: q3
# expect: column 0
# %% q3
flagged = (model.predict_proba(X_test)[:, 0] >= threshold).astype(int)
precision = precision_score(y_test, flagged)
recall = recall_score(y_test, flagged)
f1 = f1_score(y_test, flagged)
