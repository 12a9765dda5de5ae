# targets: q2
# expect: too high
# %% q2
median_price = sales_valid["unit_price"].mean()
