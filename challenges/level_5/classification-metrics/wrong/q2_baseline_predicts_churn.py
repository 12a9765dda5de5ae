# targets: q2
# expect: `baseline_accuracy`
# %% q2
y_pred = model.predict(X_test)
accuracy = accuracy_score(y_test, y_pred)
baseline_accuracy = (y_test == 1).mean()
balanced_accuracy = balanced_accuracy_score(y_test, y_pred)
