# targets: q2
# expect: rows; expected
# %% q2
bulk_orders = sales[sales["quantity"] > 5]
