# targets: q4
# expect: rows; expected
# %% q4
price = sales_valid["unit_price"]
q1, q3 = price.quantile(0.25), price.quantile(0.75)
iqr = q3 - q1
price_outliers = sales_valid[(price < q1 - iqr) | (price > q3 + iqr)]
