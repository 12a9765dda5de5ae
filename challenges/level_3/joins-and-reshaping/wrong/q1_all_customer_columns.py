# targets: q1
# expect: unexpected column(s)
# %% q1
orders = sales.merge(customers, on="customer_id", how="left")
