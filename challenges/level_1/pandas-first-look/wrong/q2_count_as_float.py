# targets: q2
# expect: integer
# describe() reports its counts as floats: 1938.0 is a whole number, but not an integer.
# %% q2
n_orders = sales.describe().loc["count", "order_id"]
