# targets: q1
# expect: first differs
# %% q1
missing = messy.isna().sum()
missing_counts = missing[missing > 0].sort_values()
