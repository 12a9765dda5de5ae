# targets: q4
# expect: 47 rows
# %% q4
price = sales_valid["unit_price"]
z = (price - price.mean()) / price.std()
price_outliers = sales_valid[z.abs() > 3]
