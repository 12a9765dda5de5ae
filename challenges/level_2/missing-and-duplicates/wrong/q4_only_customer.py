# targets: q4
# expect: rows; expected
# %% q4
orders = deduped.dropna(subset=["customer_id"])
orders = orders.assign(customer_id=orders["customer_id"].astype("int64"))
