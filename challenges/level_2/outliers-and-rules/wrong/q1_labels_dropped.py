# targets: q1
# expect: original row labels
# The right rows renumbered 0, 1, 2, …: the z-scores of task 3 can no longer be lined up.
# %% q1
sales_valid = sales[sales["quantity"] >= 1].reset_index(drop=True)
