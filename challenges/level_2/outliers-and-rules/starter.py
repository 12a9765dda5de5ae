# %% [markdown]
# # Outliers and business rules
#
# Some values are **impossible**: nobody orders minus three mugs. A business rule says so, and
# rows that break it are errors to set aside. Other values are merely **unusual**: a price far
# above the rest. An unusual value is not necessarily wrong, and deleting it because it "looks
# odd" can throw away the most important orders you have. This challenge is about telling the
# two apart.
#
# You apply a rule to the quantities of the shop's raw export, then study the unit prices: a
# typical value that is not fooled by extremes, z-scores, and the interquartile-range (IQR) rule.
# Finally you look at *what* the outliers are.
#
# After each task, run its check cell; `ch.q1.hint()` helps when you are stuck. When every task
# passes, run `ch.submit()` to earn XP.

# %% binding
from sandbox import datasets
from sandbox.grading import ____, challenge

ch = challenge("outliers-and-rules")

# %% [markdown]
# ## Worked example: delivery times
#
# Minutes taken by a courier's deliveries one evening. A delivery cannot take a negative time,
# so `-5` breaks a rule: it is a typing error, and we set it aside with a filter.

# %%
import pandas as pd

minutes = pd.Series([22, 25, 19, 31, 24, 27, 23, 95, 26, 21, -5, 28, 24, 70, 20, 26])
valid = minutes[minutes > 0]
print(len(minutes), "deliveries,", len(valid), "valid")

# %% [markdown]
# **Mean or median?** The mean adds everything up, so two slow deliveries pull it well above what
# most deliveries take. The median is the middle value once sorted: the extremes hardly move it.
# For a "typical" value of skewed data, such as prices, incomes or durations, use the median.

# %%
print("mean:  ", round(valid.mean(), 1))
print("median:", valid.median())

# %% [markdown]
# **z-scores.** A z-score says how many standard deviations a value lies from the mean:
# `z = (x - mean) / std`. A common rule calls a value an outlier when `|z| > 3`. The catch: the
# outliers themselves inflate the mean and the standard deviation, so they can hide from the
# rule. Here even the 95-minute delivery stays under 3:

# %%
z = (valid - valid.mean()) / valid.std()
print(z.round(2).tolist())

# %% [markdown]
# **The IQR rule.** The quartiles Q1 and Q3 (`quantile(0.25)` and `quantile(0.75)`) enclose the
# middle half of the data; their distance is the interquartile range, `IQR = Q3 - Q1`. Values
# below `Q1 - 1.5 * IQR` or above `Q3 + 1.5 * IQR` (the *fences*) are outliers. Quartiles, like
# the median, are barely moved by extremes, so this rule finds both slow deliveries:

# %%
q1, q3 = valid.quantile(0.25), valid.quantile(0.75)
iqr = q3 - q1
low, high = q1 - 1.5 * iqr, q3 + 1.5 * iqr
print(f"fences: {low} to {high}")
valid[(valid < low) | (valid > high)]

# %% [markdown]
# Were the slow deliveries mistakes? Perhaps the courier got stuck in traffic: the data cannot
# say. An outlier is a question to ask, not a row to delete.
#
# Your turn. Below, `sales` is the raw export with its exact duplicate rows already removed
# (you did that in the previous challenge).

# %%
sales = datasets.load("retail_sales_messy").drop_duplicates()
sales[["quantity", "unit_price"]].describe()

# %% [markdown]
# ## Task 1 — apply the quantity rule
#
# An order is for at least one unit. Some quantities in the export have their sign flipped, and
# nobody can tell whether `-2` was a return or a typing error, so those rows are set aside, not
# repaired. Store in `sales_valid` the rows of `sales` whose `quantity` is at least 1, keeping
# their row labels (the z-scores of task 3 carry them).

# %% task:q1
sales_valid = ____

# %% check:q1
ch.q1.check()

# %% [markdown]
# ## Task 2 — a typical unit price
#
# Store in `median_price` the typical price paid per unit in `sales_valid`: the statistic that is
# not pulled up by a few very expensive items. (Missing prices are skipped automatically.)

# %% task:q2
median_price = ____

# %% check:q2
ch.q2.check()

# %% [markdown]
# ## Task 3 — z-scores of the unit price
#
# Store in `z_scores` the z-score of every `unit_price` in `sales_valid`: a Series with the same
# row labels, using the column's mean and standard deviation. Then have a look: how many orders
# have `|z| > 3`?

# %% task:q3
z_scores = ____

# %% check:q3
ch.q3.check()

# %% [markdown]
# ## Task 4 — the IQR rule
#
# Store in `price_outliers` the rows of `sales_valid` whose `unit_price` lies outside the IQR
# fences (`Q1 - 1.5 * IQR` and `Q3 + 1.5 * IQR`). Compare how many rows each rule flags.

# %% task:q4
price_outliers = ____

# %% check:q4
ch.q4.check()

# %% [markdown]
# ## Task 5 — what are the outliers?
#
# Which products are the outliers? Store in `outlier_products` how many rows of `price_outliers`
# each product has: a Series indexed by `product` (the product names), with the number of rows
# as values.

# %% task:q5
outlier_products = ____

# %% check:q5
ch.q5.check()

# %% [markdown]
# ## Unusual is not wrong
#
# The outliers are simply the shop's most expensive products, sold at their normal price (or a
# normal discount). Look at each product's own price range: none of them has an odd price.

# %%
sales.groupby("product")["unit_price"].agg(["min", "median", "max"]).sort_values("median")

# %% [markdown]
# So these rows stay. The negative quantities were different: they broke a rule no real order
# can break. When a value is extreme, ask what it is before you decide; when you need one
# typical number for skewed data, prefer the median.
#
# ## Submit
#
# Save the notebook (Ctrl+S), then verify it in a fresh kernel. XP is awarded only here.

# %% submit
ch.submit()
