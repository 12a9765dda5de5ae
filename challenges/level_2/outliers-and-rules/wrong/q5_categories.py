# targets: q5
# expect: should not be there
# %% q5
outlier_products = set(price_outliers["category"])
