# targets: q1
# expect: dtype
# %% q1
order_dates = messy["order_date"]
