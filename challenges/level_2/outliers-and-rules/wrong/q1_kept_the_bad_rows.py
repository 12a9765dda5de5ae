# targets: q1
# expect: rows; expected
# %% q1
sales_valid = sales[sales["quantity"] < 1]
