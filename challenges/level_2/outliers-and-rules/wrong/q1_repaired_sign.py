# targets: q1
# expect: 2000 rows
# %% q1
sales_valid = sales.assign(quantity=sales["quantity"].abs())
