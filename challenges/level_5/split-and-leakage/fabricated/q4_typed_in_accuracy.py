# targets: q4
# expect: typed in
# The right model, and the accuracy typed in as the output showed it, rounded.
# %% q4
model = LogisticRegression().fit(X_train_scaled, y_train)
test_accuracy = 0.8
