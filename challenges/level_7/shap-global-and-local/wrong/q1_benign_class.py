# targets: q1
# expect: class_index=0
# %% q1
expl = explain.shap_explanation(forest, X_test)
