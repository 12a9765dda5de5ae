# targets: q3
# expect: absolute size
# %% q3
patient_values = pd.Series(expl[patient].values, index=expl.feature_names)
patient_contributions = patient_values.sort_values(ascending=False).head(5)
