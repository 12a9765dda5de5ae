# targets: q2
# expect: rows; expected
# %% q2
duplicate_rows = messy[messy.duplicated()]
