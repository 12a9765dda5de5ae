# targets: q3
# expect: test rows
# %% q3
model = Pipeline([("preprocess", preprocess), ("classifier", LogisticRegression(max_iter=1000))])
model.fit(X_test, y_test)
