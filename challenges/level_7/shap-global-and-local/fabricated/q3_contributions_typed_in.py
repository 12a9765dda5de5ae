# targets: q3
# expect: patient_contributions
# The patient's top five typed in from a printout, rounded to three decimals.
# %% q3
printed = pd.Series(expl[patient].values, index=expl.feature_names)
printed = printed.sort_values(key=np.abs, ascending=False).head(5)
patient_contributions = pd.Series(
    [round(float(v), 3) for v in printed.to_numpy()], index=list(printed.index)
)
