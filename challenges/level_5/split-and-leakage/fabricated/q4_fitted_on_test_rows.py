# targets: q4
# expect: test rows
# %% q4
model = LogisticRegression().fit(X_test_scaled, y_test)
test_accuracy = model.score(X_test_scaled, y_test)
