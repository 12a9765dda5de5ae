# targets: q1
# expect: wrong order
# %% q1
order_lines = sales[["product", "order_id", "quantity", "unit_price"]]
