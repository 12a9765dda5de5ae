# targets: q5
# expect: expected a pandas Series
# The products without their counts: the task asks how many rows each product has.
# %% q5
outlier_products = set(price_outliers["product"])
