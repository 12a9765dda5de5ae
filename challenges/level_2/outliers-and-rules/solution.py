# %% q1
sales_valid = sales[sales["quantity"] >= 1]

# %% q2
median_price = sales_valid["unit_price"].median()

# %% q3
price = sales_valid["unit_price"]
z_scores = (price - price.mean()) / price.std()

# %% q4
price = sales_valid["unit_price"]
q1, q3 = price.quantile(0.25), price.quantile(0.75)
iqr = q3 - q1
price_outliers = sales_valid[(price < q1 - 1.5 * iqr) | (price > q3 + 1.5 * iqr)]

# %% q5
outlier_products = price_outliers["product"].value_counts()
