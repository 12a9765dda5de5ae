# targets: q1
# expect: missing column(s) `unit_price`
# %% q1
order_lines = sales[["order_id", "product", "quantity"]]
