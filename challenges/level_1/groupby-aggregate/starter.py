# %% [markdown]
# # Revenue by group
#
# "How much did we sell per category?" "Which country brings in most?" Questions like these
# split the table into groups, compute one number per group, and put the results side by side.
# In pandas that is **`groupby`** followed by an **aggregation** such as a sum, a mean or a
# count.
#
# In this challenge you compute what each order is worth and then summarise it by category,
# by country and by product.

# %% binding
import pandas as pd

from sandbox import datasets
from sandbox.grading import ____, challenge

ch = challenge("groupby-aggregate")

# %% [markdown]
# ## Worked example: a small bakery
#
# Six sales from a bakery with two shops. `loyalty_card` is empty (`None`) when the customer
# had no card.

# %%
bakery = pd.DataFrame(
    {
        "shop": ["North", "North", "South", "South", "South", "North"],
        "item": ["bread", "croissant", "bread", "cake", "croissant", "cake"],
        "quantity": [10, 24, 7, 2, 30, 3],
        "unit_price": [3.0, 1.5, 3.0, 18.0, 1.5, 18.0],
        "loyalty_card": ["L-104", None, "L-221", "L-104", None, "L-330"],
    }
)
display(bakery)

# %% [markdown]
# ### A new column from two others
#
# Arithmetic between columns works row by row. `assign` returns a **new** DataFrame with the
# extra column and leaves `bakery` as it was:

# %%
bakery_sales = bakery.assign(revenue=bakery["quantity"] * bakery["unit_price"])
display(bakery_sales)

# %% [markdown]
# ### One number per group
#
# `groupby("shop")` splits the rows by shop; picking a column and calling an aggregation
# gives one value per shop, as a Series whose index is the shop. Groups come out in
# alphabetical order, so sort if you want the largest first:

# %%
display(bakery_sales.groupby("shop")["revenue"].sum().sort_values(ascending=False))

# %% [markdown]
# Other aggregations work the same way: `.mean()`, `.median()`, `.min()`, `.max()`,
# `.count()`, `.size()`. Pick the one the question asks for: a *total* is a sum, an *average*
# is a mean, and they answer different questions. The mean revenue of a sale per item:

# %%
display(bakery_sales.groupby("item")["revenue"].mean())

# %% [markdown]
# ### Several results at once: named aggregations
#
# `.agg(...)` computes several columns per group in one go. Each argument reads
# `new_column=("column", "function")`:

# %%
shop_summary = bakery_sales.groupby("shop").agg(
    sales=("item", "count"),
    revenue=("revenue", "sum"),
    avg_sale=("revenue", "mean"),
)
display(shop_summary)

# %% [markdown]
# ### `count` skips missing values
#
# `count` counts the values that are **not missing**; `size` counts the rows. On a column with
# gaps they disagree. To count rows, use `size`, or count a column that is never empty.

# %%
print(bakery.groupby("shop")["loyalty_card"].count())  # sales with a card
print(bakery.groupby("shop").size())  # all sales

# %% [markdown]
# ## Your data: the orders
#
# Run this cell to load the orders into `sales`.

# %%
sales = pd.read_csv(datasets.path("retail_sales"), parse_dates=["order_date"])
display(sales.head())

# %% [markdown]
# ## Task 1 — revenue of each order
#
# `unit_price` is the price of **one** unit. Store in `orders` a copy of `sales` with an extra
# column `revenue`: what each order brought in, its quantity times its unit price. The next
# tasks use `orders`.

# %% task:q1
orders = ____

# %% check:q1
ch.q1.check()

# %% [markdown]
# ## Task 2 — revenue per category
#
# Store in `revenue_by_category` the **total** revenue of each category: a Series with the
# category as index, **largest total first**.

# %% task:q2
revenue_by_category = ____

# %% check:q2
ch.q2.check()

# %% [markdown]
# ## Task 3 — a summary per country
#
# Store in `country_summary` a DataFrame with one row per country (the country as index) and
# three columns:
#
# - `n_orders`: the number of orders,
# - `revenue`: their total revenue,
# - `avg_order_value`: the mean revenue per order.
#
# Sort it by `revenue`, largest first. (Some orders have no e-mail address.)

# %% task:q3
country_summary = ____

# %% check:q3
ch.q3.check()

# %% [markdown]
# ## Task 4 — best sellers by units
#
# Store in `top_products` the **three** products that sold the most **units** in total: a
# Series with the product as index and the total quantity as values, largest first.

# %% task:q4
top_products = ____

# %% check:q4
ch.q4.check()

# %% [markdown]
# ## Submit
#
# Save the notebook (Ctrl+S), then verify it in a fresh kernel. XP is awarded only here.

# %% submit
ch.submit()
