# targets: q2
# expect: too low
# %% q2
n_orders = sales.shape[1]
