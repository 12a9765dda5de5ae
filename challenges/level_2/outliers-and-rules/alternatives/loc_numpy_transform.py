# targets: q1, q2, q3, q4, q5
# .loc with a comparison method, numpy's nanmedian as a plain float, z-scores with transform,
# fences through describe() and query with @variables, group sizes per product.
# %% q1
sales_valid = sales.loc[sales["quantity"].ge(1)]

# %% q2
import numpy as np

median_price = float(np.nanmedian(sales_valid["unit_price"].to_numpy(dtype=float)))

# %% q3
z_scores = sales_valid["unit_price"].transform(lambda s: (s - s.mean()) / s.std())

# %% q4
summary = sales_valid["unit_price"].describe()
iqr = summary["75%"] - summary["25%"]
lower, upper = summary["25%"] - 1.5 * iqr, summary["75%"] + 1.5 * iqr
price_outliers = sales_valid.query("unit_price < @lower or unit_price > @upper")

# %% q5
outlier_products = price_outliers.groupby("product").size()
