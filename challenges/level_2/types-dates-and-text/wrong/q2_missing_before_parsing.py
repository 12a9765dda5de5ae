# targets: q2
# expect: 0 rows
# %% q2
bad_dates = messy.loc[messy["order_date"].isna(), "order_date"]
