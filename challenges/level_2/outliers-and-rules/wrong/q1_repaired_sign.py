# targets: q1
# expect: rows; expected
# %% q1
sales_valid = sales.assign(quantity=sales["quantity"].abs())
