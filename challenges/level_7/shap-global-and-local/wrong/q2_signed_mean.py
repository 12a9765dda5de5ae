# targets: q2
# expect: absolute
# %% q2
global_importance = pd.Series(expl.values.mean(axis=0), index=expl.feature_names).sort_values(
    ascending=False
)
