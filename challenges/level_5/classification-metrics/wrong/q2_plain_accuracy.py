# targets: q2
# expect: too high
# %% q2
y_pred = model.predict(X_test)
accuracy = accuracy_score(y_test, y_pred)
baseline_accuracy = (y_test == 0).mean()
balanced_accuracy = accuracy_score(y_test, y_pred)
