# targets: q5
# expect: asks for a set
# The right products, but as the numpy array unique() returns: the task asks for the set.
# %% q5
outlier_products = price_outliers["product"].unique()
