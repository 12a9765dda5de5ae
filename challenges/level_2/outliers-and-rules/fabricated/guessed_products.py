# targets: q5
# expect: outlier_products
# The products that "look expensive", typed in instead of read from price_outliers.
# %% q5
outlier_products = {"Office chair", "Monitor", "Laptop stand"}
