# targets: q4
# expect: unscaled
# %% q4
logreg = LogisticRegression(max_iter=5000)
logreg.fit(X_train, y_train)
coef_ranking = pd.Series(np.abs(logreg.coef_[0]), index=X.columns).sort_values(ascending=False)
