# targets: q1
# expect: too high
# %% q1
typical_order = sales["revenue"].mean()
