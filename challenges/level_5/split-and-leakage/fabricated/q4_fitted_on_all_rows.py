# targets: q4
# expect: all 2,500 rows
# Scaler and model fitted on every customer, test rows included; the score then looks honest.
# %% q4
everything = StandardScaler().fit(X)
model = LogisticRegression().fit(everything.transform(X), y)
test_accuracy = model.score(X_test_scaled, y_test)
