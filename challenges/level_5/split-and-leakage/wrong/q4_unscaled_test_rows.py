# targets: q4
# expect: X_test_scaled
# %% q4
model = LogisticRegression().fit(X_train_scaled, y_train)
test_accuracy = model.score(X_test.to_numpy(), y_test)
