# %% [markdown]
# # Select, filter and sort orders
#
# A table rarely answers a question as it is. You first narrow it down: keep the **columns** you
# need, keep the **rows** that match a condition, and **sort** what is left so the interesting
# rows come first. These three moves are most of everyday pandas work.
#
# In this challenge you answer four questions about the shop's orders. As before: run each
# task's check cell, ask for `ch.q1.hint()` when stuck, and finish with `ch.submit()`.

# %% binding
import pandas as pd

from sandbox import datasets
from sandbox.grading import ____, challenge

ch = challenge("select-filter-sort")

# %% [markdown]
# ## Worked example: the customers table
#
# We practise on the customers table; the tasks use the orders.

# %%
customers = pd.read_csv(datasets.path("customers"), parse_dates=["signup_date"])
display(customers.head())

# %% [markdown]
# ### Selecting columns
#
# One column name in brackets gives a **Series** (a single column). A *list* of names, hence the
# double brackets, gives a **DataFrame** with those columns, in the order of the list:

# %%
display(customers[["name", "country", "segment"]].head())

# %% [markdown]
# ### Filtering rows
#
# A comparison on a column gives one `True` or `False` per row, called a *mask*. Putting the
# mask in brackets keeps the rows where it is `True`:

# %%
is_corporate = customers["segment"] == "corporate"
print(is_corporate.head())
print(customers[is_corporate].shape)  # (rows, columns) that are left

# %% [markdown]
# The comparisons are `==`, `!=`, `<`, `<=`, `>` and `>=`. Read the question carefully: "at
# least 3" is `>= 3`, "more than 3" is `> 3`.
#
# To combine conditions, use `&` (both must hold), `|` (at least one holds) and `~` (not).
# **Wrap every condition in parentheses**: Python applies `&` and `|` before `==`, and `&`
# before `|`, so without parentheses you get an error or, worse, a different question.
# For "one of these values", `.isin([...])` is shorter than a chain of `|`.

# %%
# Corporate customers in Ireland: both conditions must hold.
corporate_ireland = customers[
    (customers["segment"] == "corporate") & (customers["country"] == "Ireland")
]

# Customers in Spain or Ireland, written two ways that give the same rows.
spain_or_ireland = customers[
    (customers["country"] == "Spain") | (customers["country"] == "Ireland")
]
same_rows = customers[customers["country"].isin(["Spain", "Ireland"])]

print(len(corporate_ireland), len(spain_or_ireland), len(same_rows))

# .loc[rows, columns] filters and selects in one step.
display(customers.loc[customers["country"] == "Ireland", ["name", "segment"]].head())

# %% [markdown]
# A filtered DataFrame keeps the original row labels (the index on the left), so you can always
# tell which rows of the full table survived.
#
# ### Sorting and the top N
#
# `sort_values(column)` sorts from smallest to largest (oldest to newest for dates);
# `ascending=False` reverses it. `.head(n)` then keeps the first `n` rows. Steps chain from left
# to right, each working on the result of the one before:

# %%
# The three most recent sign-ups, with just the columns we want to show.
newest = customers.sort_values("signup_date", ascending=False).head(3)
display(newest[["name", "signup_date", "country"]])

# %% [markdown]
# ## Your data: the orders
#
# Run this cell to load the orders into `sales` (the same file as in the first challenge).

# %%
sales = pd.read_csv(datasets.path("retail_sales"), parse_dates=["order_date"])
display(sales.head())

# %% [markdown]
# ## Task 1 — keep only the columns you need
#
# For a report of order lines you only need four columns. Store in `order_lines` a DataFrame
# with the columns `order_id`, `product`, `quantity` and `unit_price` of `sales`, **in that
# order**.

# %% task:q1
order_lines = ____

# %% check:q1
ch.q1.check()

# %% [markdown]
# ## Task 2 — bulk orders
#
# The warehouse wants to see large orders. Store in `bulk_orders` every order (keep all
# columns) of **at least 5 units**.

# %% task:q2
bulk_orders = ____

# %% check:q2
ch.q2.check()

# %% [markdown]
# ## Task 3 — office supplies for Germany and France
#
# Store in `office_de_fr` every order (all columns) whose `category` is `"office"` **and** that
# ships to Germany **or** France.

# %% task:q3
office_de_fr = ____

# %% check:q3
ch.q3.check()

# %% [markdown]
# ## Task 4 — the latest orders from Spain
#
# Store in `latest_spain` the **five most recent** orders shipped to Spain, **newest first**,
# with only the columns `order_date`, `product`, `quantity` and `unit_price`. You can do it in
# one chain or in several lines; only the final `latest_spain` is checked.

# %% task:q4
latest_spain = ____

# %% check:q4
ch.q4.check()

# %% [markdown]
# ## Submit
#
# Save the notebook (Ctrl+S), then verify it in a fresh kernel. XP is awarded only here.

# %% submit
ch.submit()
