# targets: q3
# expect: all 2,500 rows
# The pipeline fitted on every customer, test rows included.
# %% q3
model = Pipeline([("preprocess", preprocess), ("classifier", LogisticRegression(max_iter=1000))])
model.fit(X, y)
