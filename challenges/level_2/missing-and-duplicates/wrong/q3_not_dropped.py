# targets: q3
# expect: rows; expected
# %% q3
deduped = messy.copy()
