# targets: q4
# expect: price_outliers
# The most expensive rows, as many as "looked about right", instead of the IQR fences.
# %% q4
price_outliers = sales_valid.sort_values("unit_price", ascending=False).head(40).sort_index()
