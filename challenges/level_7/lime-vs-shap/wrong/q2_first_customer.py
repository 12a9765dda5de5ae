# targets: q2
# expect: expl[customer]
# %% q2
expl = explain.shap_explanation(forest, X_test)
agreement = explain.compare_local(expl[0], lime_weights)
disagreements = [row.feature for row in agreement if row.disagreement is not None]
