# targets: q3
# expect: 2030 rows
# %% q3
deduped = messy.copy()
