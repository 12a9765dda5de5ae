# %% [markdown]
# # Polars expressions and lazy queries
#
# **Polars** is a DataFrame library built for speed: it stores columns in the Arrow format, runs
# on all your cores, and can plan a whole query before running it. Two ideas make it different
# from pandas:
#
# - **Expressions.** `pl.col("price") * 2` is not a result but a description of a computation
#   on a column. You hand expressions to a *context* (`select`, `with_columns`, `filter`,
#   `group_by(...).agg`) and Polars evaluates them, in parallel where it can.
# - **Lazy queries.** `pl.scan_parquet(path)` reads nothing: it returns a `LazyFrame` that
#   records every step you chain on it. `.explain()` shows the plan Polars will run after
#   optimising it, and `.collect()` runs it. Because the optimiser sees the whole query, it can
#   read only the columns and rows the query needs.
#
# In this challenge you filter and summarise the shop's orders with expressions, then build a
# lazy query on a Parquet file, read its plan, and run it.

# %% binding
from sandbox import datasets
from sandbox.grading import ____, challenge

ch = challenge("polars-lazy-queries")

# %% [markdown]
# ## Expressions in contexts
#
# The worked examples use the customers table. `with_columns` adds or replaces columns (named with
# keywords), `filter` keeps the rows where an expression is true, and `select` chooses and orders
# the columns. Each step returns a new DataFrame, so they chain.

# %%
import polars as pl

customers = datasets.load("customers", backend="polars")

recent_business = (
    customers.with_columns(
        signup_year=pl.col("signup_date").dt.year(),
        first_name=pl.col("name").str.split(" ").list.first(),
    )
    .filter(pl.col("segment") != "consumer", pl.col("signup_year") >= 2022)
    .select("customer_id", "first_name", "segment", "signup_year")
)
print(recent_business.height, "business customers who signed up in 2022 or later")
recent_business.head()

# %% [markdown]
# Several conditions passed to `filter` must all hold; you can also write them as one expression,
# `(a) & (b)` for "and", `(a) | (b)` for "or", with brackets around each part. Comparisons say
# exactly what they mean: `>= 2022` keeps 2022, `> 2022` does not.
#
# ## Grouping
#
# `group_by(...).agg(...)` takes one expression per output column. `pl.len()` counts the rows of
# each group. Polars computes the groups in parallel, so they come back **in no particular
# order**: sort the result whenever the order matters.

# %%
customers.group_by("segment").agg(
    customers=pl.len(),
    first_signup=pl.col("signup_date").min(),
    countries=pl.col("country").n_unique(),
).sort("customers", descending=True)

# %% [markdown]
# ## Lazy queries and their plan
#
# Write the customers to a Parquet file in your workspace, then *scan* it. Nothing is read until
# `.collect()`:

# %%
customers.write_parquet("customers.parquet")

corporate_by_country = (
    pl.scan_parquet("customers.parquet")
    .filter(pl.col("segment") == "corporate")
    .group_by("country")
    .agg(customers=pl.len())
    .sort("customers", descending=True)
)
type(corporate_by_country)

# %% [markdown]
# `explain()` prints the optimised plan. Read it **from the bottom up**: the scan at the bottom
# feeds the aggregation above it, which feeds the sort at the top. Two optimisations show in the
# scan itself:
#
# - `SELECTION: col("segment") == "corporate"`: the filter was **pushed down** into the reader,
#   so rows that fail it are dropped while the file is read (predicate pushdown);
# - `PROJECT 2/6 COLUMNS`: only the two columns the query uses are read (projection pushdown).

# %%
print(corporate_by_country.explain())

# %% [markdown]
# Compare with the plan *before* optimisation, `explain(optimized=False)`: the filter is a separate
# `FILTER` step above a scan of all six columns (`PROJECT */6`).

# %%
print(corporate_by_country.explain(optimized=False))

# %% [markdown]
# And with an **eager** read turned lazy afterwards: `pl.read_parquet` has already read the whole
# file into memory, so the plan starts from `DF [...]` and there is nothing left to skip. On a
# file of a few gigabytes, that is the difference between a quick query and running out of
# memory.

# %%
eager_then_lazy = (
    pl.read_parquet("customers.parquet")
    .lazy()
    .filter(pl.col("segment") == "corporate")
    .group_by("country")
    .agg(customers=pl.len())
)
print(eager_then_lazy.explain())

# %% [markdown]
# Finally, `.collect()` runs the plan and returns a DataFrame:

# %%
corporate_by_country.collect()

# %% [markdown]
# ## Your data
#
# `sales` holds the shop's orders as a polars DataFrame (`order_date` is a date). For the lazy
# tasks, 200,000 store transactions are written to `transactions.parquet` in your workspace, with
# the columns `transaction_id`, `timestamp`, `store_id`, `customer_id`, `category`, `quantity`
# and `amount`.

# %%
sales = datasets.load("retail_sales", backend="polars")
pl.from_pandas(datasets.generate_transactions(200_000, seed=1)).write_parquet(
    "transactions.parquet"
)
sales.select("order_id", "order_date", "country", "category", "quantity", "unit_price").head(3)

# %% [markdown]
# ## Task 1 — bulk orders of 2024
#
# Keep the orders placed in 2024 with a quantity of **at least 3**, add a column `revenue`
# (quantity × unit_price), and keep the columns `order_id`, `order_date`, `country`, `category`,
# `quantity` and `revenue`, with the rows in their original order. Store the result in
# `bulk_2024`.

# %% task:q1
bulk_2024 = ____

# %% check:q1
ch.q1.check()

# %% [markdown]
# ## Task 2 — a summary per country
#
# From all orders in `sales`, build one row per country with `orders` (the number of orders),
# `units` (the total quantity), `revenue` (the total quantity × unit_price) and `avg_order` (the
# average revenue of one order), sorted by revenue, largest first. Store it in
# `country_summary`.

# %% task:q2
country_summary = ____

# %% check:q2
ch.q2.check()

# %% [markdown]
# ## Task 3 — a lazy query and its plan
#
# Build a lazy query `lazy_books` that starts from `pl.scan_parquet("transactions.parquet")`,
# keeps the category `books` and returns the **5 stores** with the highest book revenue: columns
# `store_id`, `revenue` (the sum of `amount`) and `transactions` (the number of rows), sorted by
# revenue descending, then store_id ascending on a tie. Do not run it yet.
#
# Then store its optimised plan, `lazy_books.explain()`, in `plan`, and print it: can you find
# the filter pushed into the scan, and how many of the file's seven columns are read?

# %% task:q3
lazy_books = ____
plan = ____

# %% check:q3
ch.q3.check()

# %% [markdown]
# ## Task 4 — run the query
#
# Run `lazy_books` and store the resulting DataFrame in `top_stores`.

# %% task:q4
top_stores = ____

# %% check:q4
ch.q4.check()

# %% [markdown]
# ## Submit
#
# Save the notebook (Ctrl+S), then verify it in a fresh kernel. XP is awarded only here.

# %% submit
ch.submit()
