# targets: q1
# expect: 9 rows
# %% q1
missing_counts = messy.isna().sum().sort_values(ascending=False)
