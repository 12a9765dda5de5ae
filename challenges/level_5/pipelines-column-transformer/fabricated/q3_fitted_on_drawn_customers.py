# targets: q3
# expect: does not predict like a model fitted on
# An attempt at the grader's customers: new customers drawn from the churn generator with a
# guessed seed. They are not the grader's (its seed is drawn afresh in its own process), and
# a model fitted on them is not fitted on X_train.
# %% q3
drawn = datasets.unseen_rows("churn", seed=0, n=2_000)
model = Pipeline([("preprocess", preprocess), ("classifier", LogisticRegression(max_iter=1000))])
model.fit(drawn.drop(columns=["churned"]), drawn["churned"])
