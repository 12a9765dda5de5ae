# targets: q2
# expect: absolute
# %% q2
leaky_expl = explain.shap_explanation(leaky_model, X_test)
leaky_importance = pd.Series(
    leaky_expl.values.mean(axis=0), index=leaky_expl.feature_names
).sort_values(ascending=False)
suspect = leaky_importance.index[0]
suspect_share = leaky_importance.iloc[0] / leaky_importance.sum()
