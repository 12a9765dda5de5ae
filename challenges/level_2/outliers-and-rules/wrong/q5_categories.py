# targets: q5
# expect: `outlier_products` has
# %% q5
outlier_products = price_outliers["category"].value_counts()
