# %% [markdown]
# # First look at a sales table
#
# Every analysis starts the same way: load the data, check how much there is, and ask a first
# simple question. In this challenge you load a year and a half of online-shop orders with
# **pandas**, count them, and find the countries that order most.
#
# Work through the tasks in order. After each one, run its check cell: `ch.q1.check()` tells you
# at once whether your answer is right and, if not, what differs. Stuck? `ch.q1.hint()` shows a
# hint (hints cost the no-help bonus, never the challenge). When every task passes, run
# `ch.submit()`: your notebook is re-run from top to bottom in a fresh kernel, and only then do
# you earn XP.

# %% binding
from sandbox import datasets
from sandbox.grading import ____, challenge

ch = challenge("pandas-first-look")

# %% [markdown]
# ## Worked example: the customers table
#
# `datasets.path(name)` gives the location of a shipped data file, wherever your notebook runs.
# `pd.read_csv` turns it into a DataFrame; `parse_dates` makes date columns real dates instead of
# text, so you can sort and group them by month later.

# %%
import pandas as pd

customers = pd.read_csv(datasets.path("customers"), parse_dates=["signup_date"])
print(customers.shape)  # (rows, columns)
customers.head()

# %% [markdown]
# `value_counts()` counts how often each value of a column appears, most frequent first:

# %%
customers["segment"].value_counts()

# %% [markdown]
# ## Task 1 — load the orders
#
# Read the `retail_sales` file into a DataFrame called `sales`, with its `order_date` column
# parsed as dates. Replace `____` with your code.

# %% task:q1
sales = ____

# %% check:q1
ch.q1.check()

# %% [markdown]
# ## Task 2 — count the orders
#
# Each row is one order. Store how many there are in `n_orders`.

# %% task:q2
n_orders = ____

# %% check:q2
ch.q2.check()

# %% [markdown]
# ## Task 3 — the busiest countries
#
# Which three countries place the most orders? Store them in `top_countries`: a Series whose
# index is the country and whose values are the order counts, largest first.

# %% task:q3
top_countries = ____

# %% check:q3
ch.q3.check()

# %% [markdown]
# ## Submit
#
# Save the notebook (Ctrl+S), then verify it in a fresh kernel. XP is awarded only here.

# %% submit
ch.submit()
