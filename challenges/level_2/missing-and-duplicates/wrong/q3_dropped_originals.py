# targets: q3
# expect: 1970 rows
# %% q3
deduped = messy.drop_duplicates(keep=False)
