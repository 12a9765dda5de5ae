# targets: q4
# expect: rows; expected
# The fences measured from the median instead of from the quartiles: Q1 - 1.5 * IQR and
# Q3 + 1.5 * IQR become median ± 1.5 * IQR, which flags ordinary prices too.
# %% q4
price = sales_valid["unit_price"]
iqr = price.quantile(0.75) - price.quantile(0.25)
price_outliers = sales_valid[(price - price.median()).abs() > 1.5 * iqr]
