# %% [markdown]
# # Describe a skewed table and find what moves together
#
# Before you model or test anything, you describe the data: where its centre is, how widely
# it spreads, and which columns move together. The numbers you choose matter. On skewed data
# (a few very large values) the mean and the standard deviation tell a misleading story, and
# one extreme point can make two columns look more or less related than they are.
#
# In this challenge you summarise online-shop order values with statistics that resist
# skew, then rank what goes together with customers cancelling their subscription.
#
# Run each task's check cell after you answer it; `ch.q1.hint()` gives a hint when you are
# stuck. `ch.submit()` at the end verifies the whole notebook in a fresh kernel and awards XP.

# %% binding
import pandas as pd

from sandbox import datasets
from sandbox.grading import ____, challenge

ch = challenge("describe-and-correlate")

# %% [markdown]
# ## Worked example: centre and spread of wine measurements
#
# The `wine` set holds chemical measurements of 178 wines from three cultivars (`target` 0, 1
# and 2). `describe()` gives the usual summary of each numeric column: count, mean, standard
# deviation, minimum, the 25th, 50th (the median) and 75th percentiles, and the maximum.

# %%
wine = datasets.load("wine")
wine[["proline", "magnesium"]].describe()

# %% [markdown]
# When the mean sits well above the median, a long tail of large values is pulling it up: the
# data is **right-skewed**. The median is the middle value, so a handful of extreme values
# barely moves it. Spread has the same problem: the standard deviation squares every distance
# from the mean, so the tail dominates it. The **interquartile range** (IQR), the 75th minus
# the 25th percentile, measures the width of the middle half of the data and ignores the tails.

# %%
proline = wine["proline"]
proline_iqr = proline.quantile(0.75) - proline.quantile(0.25)
print(f"mean {proline.mean():7.1f}    median {proline.median():7.1f}")
print(f"std  {proline.std():7.1f}    IQR    {proline_iqr:7.1f}")
print(f"skew {proline.skew():7.2f}    (0 is symmetric; positive means a long right tail)")

# %% [markdown]
# To get such numbers for every group at once, group the rows and use **named aggregation**:
# each keyword becomes a column, and its value says how to aggregate. A name such as `"median"`
# works, and so does any function that takes the group's Series and returns one number.


# %%
def iqr(values):
    return values.quantile(0.75) - values.quantile(0.25)


per_cultivar = (
    wine.groupby("target")["proline"]
    .agg(wines="count", median_proline="median", iqr_proline=iqr)
    .sort_values("median_proline", ascending=False)
)
per_cultivar.round(1)

# %% [markdown]
# ## Worked example: correlation
#
# A **correlation** runs from -1 to +1: its sign says whether two columns rise together (+) or
# one falls as the other rises (-); its size says how tightly. `frame.corr()` gives every pair;
# `frame.corrwith(series)` correlates each column with one Series. Below, each measurement of
# the `diabetes` patients is correlated with disease progression a year later (`target`).
#
# To rank relationships by **strength**, sort by the absolute value: -0.6 is a stronger
# relationship than +0.4. `key=abs` sorts by the absolute value but keeps the signs.

# %%
diabetes = datasets.load("diabetes")
measurements = diabetes.drop(columns="target")
measurements.corrwith(diabetes["target"]).sort_values(key=abs, ascending=False).head()

# %% [markdown]
# The default, **Pearson**, measures how well a straight line fits, and a single extreme point
# can drag it far. **Spearman** correlates the *ranks* of the values instead: it asks only
# whether one column tends to go up when the other does, and an outlier is just "the largest".
# Ten points that rise together perfectly, except for one typo:

# %%
hours = pd.Series([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
score = pd.Series([52, 55, 61, 64, 70, 71, 75, 80, 84, 8])  # the last score lost a digit
print("Pearson ", round(hours.corr(score), 2))
print("Spearman", round(hours.corr(score, method="spearman"), 2))

# %% [markdown]
# ## The data
#
# `sales` holds the shop's orders with a `revenue` column (quantity × unit price). `churn`
# holds subscription customers; `churned` is 1 for those who cancelled. `features` lists the
# numeric columns worth correlating with it: `customer_id` is an identifier, not a
# measurement, and `days_since_cancellation_request` is only filled in for customers who
# already left, so neither belongs in the list.

# %%
sales = datasets.load("retail_sales")
sales["revenue"] = sales["quantity"] * sales["unit_price"]
churn = datasets.load("churn")
features = [
    "age",
    "autopay",
    "tenure_months",
    "monthly_charges",
    "total_charges",
    "support_calls_90d",
    "avg_weekly_logins",
    "days_since_last_login",
]
sales["revenue"].describe()

# %% [markdown]
# ## Task 1 — the typical order
#
# Look at the summary above: the mean is far above the median. Store the typical order value,
# the **median** of `sales["revenue"]`, in `typical_order`.

# %% task:q1
typical_order = ____

# %% check:q1
ch.q1.check()

# %% [markdown]
# ## Task 2 — centre and spread per category
#
# Build `category_stats` with one row per `category` (the index) and three columns:
#
# - `orders`: the number of orders,
# - `median_revenue`: the median revenue,
# - `iqr_revenue`: the interquartile range of revenue (75th minus 25th percentile),
#
# sorted by `median_revenue` from highest to lowest.

# %% task:q2
category_stats = ____

# %% check:q2
ch.q2.check()

# %% [markdown]
# ## Task 3 — what goes with churn?
#
# Store in `churn_corr` the Pearson correlation of each column in `features` with
# `churn["churned"]`: a Series indexed by feature name, ordered by strength (absolute value),
# strongest first, with the signs kept.

# %% task:q3
churn_corr = ____

# %% check:q3
ch.q3.check()

# %% [markdown]
# A correlation with a 0/1 column tells you which features differ between the two groups, not
# why. A negative correlation with `tenure_months` means customers who have stayed longer
# cancel less often; it does not mean that tenure keeps them.
#
# ## Task 4 — a rank correlation
#
# `avg_weekly_logins` has a few extreme values (one customer logs in over a hundred times a
# week). Store in `logins_recency_rho` the **Spearman** rank correlation between
# `churn["avg_weekly_logins"]` and `churn["days_since_last_login"]`. Then compare it with the
# Pearson correlation of the same two columns: which one do you trust here, and why?

# %% task:q4
logins_recency_rho = ____

# %% check:q4
ch.q4.check()

# %% [markdown]
# ## Submit
#
# Save the notebook (Ctrl+S), then verify it in a fresh kernel. XP is awarded only here.

# %% submit
ch.submit()
