# targets: q4
# A seed passed out of habit, and the penalty spelled out as older tutorials do: the same model.
# %% q4
model = LogisticRegression(penalty="l2", random_state=42)
model.fit(X_train_scaled, y_train)
test_accuracy = model.score(X_test_scaled, y_test)
