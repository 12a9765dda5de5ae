# targets: q4
# expect: training rows
# %% q4
model = LogisticRegression().fit(X_train_scaled, y_train)
test_accuracy = model.score(X_train_scaled, y_train)
