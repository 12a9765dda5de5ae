# targets: q2
# expect: does not hold the SHAP values
# SHAP values of another forest, one fitted on every customer with the test rows included,
# passed off as the explanation of `forest`; the disagreements follow from them.
# %% q2
everyone = RandomForestClassifier(
    n_estimators=100, max_depth=6, min_samples_leaf=5, random_state=0, n_jobs=1
).fit(X, y)
expl = explain.shap_explanation(everyone, X_test)
agreement = explain.compare_local(expl[customer], lime_weights)
disagreements = [row.feature for row in agreement if row.disagreement is not None]
