# targets: q3
# expect: original row labels
# The right rows, renumbered: task 4 keeps the row labels of messy.
# %% q3
deduped = messy.drop_duplicates(ignore_index=True)
