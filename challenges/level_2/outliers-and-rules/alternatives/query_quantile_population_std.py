# targets: q1, q2, q3, q4, q5
# query() for the rule, the median as the 0.5 quantile, z-scores with the population standard
# deviation (ddof=0), fences from numpy percentiles, and a Counter of products.
# %% q1
sales_valid = sales.query("quantity >= 1")

# %% q2
median_price = sales_valid["unit_price"].quantile(0.5)

# %% q3
price = sales_valid["unit_price"]
z_scores = (price - price.mean()) / price.std(ddof=0)

# %% q4
import numpy as np

low_q, high_q = np.nanpercentile(sales_valid["unit_price"].to_numpy(), [25, 75])
spread = high_q - low_q
unit_price = sales_valid["unit_price"]
price_outliers = sales_valid[
    unit_price.lt(low_q - 1.5 * spread) | unit_price.gt(high_q + 1.5 * spread)
]

# %% q5
from collections import Counter

outlier_products = pd.Series(Counter(price_outliers["product"])).rename_axis("product")
