# targets: q3
# expect: 0.5
# %% q3
flagged = model.predict(X_test)
precision = precision_score(y_test, flagged)
recall = recall_score(y_test, flagged)
f1 = f1_score(y_test, flagged)
