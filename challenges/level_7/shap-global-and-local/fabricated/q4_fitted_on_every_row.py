# targets: q4
# expect: every row, test rows included
# The pipeline fitted on every biopsy, the test rows included: its coefficients differ a little
# from those of the pipeline the task asks for.
# %% q4
logreg = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000))
logreg.fit(X, y)
coef_ranking = pd.Series(np.abs(logreg[-1].coef_[0]), index=X.columns).sort_values(ascending=False)
