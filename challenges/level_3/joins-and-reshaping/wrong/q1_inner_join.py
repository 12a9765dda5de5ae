# targets: q1
# expect: rows; expected
# %% q1
orders = sales.merge(customers[["customer_id", "segment"]], on="customer_id")
