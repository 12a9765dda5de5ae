# targets: q2
# expect: 30 rows
# %% q2
duplicate_rows = messy[messy.duplicated()]
