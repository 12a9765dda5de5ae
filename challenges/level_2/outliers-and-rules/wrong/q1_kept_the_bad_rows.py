# targets: q1
# expect: 14 rows
# %% q1
sales_valid = sales[sales["quantity"] < 1]
