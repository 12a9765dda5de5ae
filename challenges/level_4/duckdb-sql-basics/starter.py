# %% [markdown]
# # SQL on DataFrames and Parquet with DuckDB
#
# **DuckDB** is a SQL database that runs inside your Python process: no server to start, no
# data to load first. It reads a pandas or polars DataFrame straight from memory and a Parquet
# file straight from disk, and it hands the answer back as a DataFrame. That makes SQL one more
# tool in your notebook, next to pandas, for the jobs where a query says it best: filtering,
# grouping, joining and aggregating in several steps.
#
# In this challenge you query the shop's orders with SQL: revenue per category in 2024, every
# customer with their orders (a join that must not lose anyone), and the average spend per
# customer in each segment (a query in two steps).
#
# After each task, run its check cell: `ch.q1.check()` says at once whether your answer is right
# and, if not, what differs. `ch.q1.hint()` gives a hint when you are stuck. When every task
# passes, `ch.submit()` re-runs the notebook in a fresh kernel and awards the XP.

# %% binding
from sandbox import datasets
from sandbox.grading import ____, challenge

ch = challenge("duckdb-sql-basics")

# %% [markdown]
# ## SQL over a DataFrame
#
# `duckdb.sql(query)` runs a query. When the query names a table DuckDB does not know, it looks
# for a Python variable with that name: `FROM visits` reads the DataFrame `visits`, without
# copying it into a database first.
#
# The result is a *relation*: a query ready to run. Displayed in a notebook it prints as a table;
# `.df()` turns it into a pandas DataFrame and `.pl()` into a polars one. Two habits keep results
# predictable: name every computed column with `AS`, and add `ORDER BY` whenever the order of the
# rows matters, because SQL promises no order without it.
#
# The worked examples use three years of daily website visits; the tasks use the shop's orders.

# %%
import duckdb
import pandas as pd

visits = datasets.load("daily_visits")

duckdb.sql(
    """
    SELECT dayname(date) AS weekday, AVG(visits) AS avg_visits, COUNT(*) AS days
    FROM visits
    GROUP BY weekday
    ORDER BY avg_visits DESC
    """
).df()

# %% [markdown]
# `WHERE` filters rows *before* grouping. Dates and timestamps compare with ISO text such as
# `'2024-12-01'`. A timestamp at midnight is equal to that day, so `>=` keeps the first day and
# `>` drops it: an easy way to lose a day of data.

# %%
duckdb.sql(
    """
    SELECT COUNT(*) AS days, MIN(date) AS first_day, MAX(date) AS last_day
    FROM visits
    WHERE date >= '2024-12-01'
    """
).df()

# %% [markdown]
# ## Parquet files
#
# Parquet is the usual file format for analytical data: it stores each column separately, keeps
# the types (dates stay dates) and compresses well. DuckDB writes one with `COPY ... TO` and
# reads one by putting its path in quotes where a table name would go. A relative path is
# relative to the folder the notebook runs in, so the file below is written into your
# workspace.

# %%
duckdb.sql("COPY (SELECT * FROM visits) TO 'visits.parquet' (FORMAT parquet)")

duckdb.sql(
    """
    SELECT year(date) AS year, MAX(visits) AS best_day, COUNT(*) AS days
    FROM 'visits.parquet'
    GROUP BY year
    ORDER BY year
    """
).df()

# %% [markdown]
# ## Joins: INNER or LEFT?
#
# A join matches the rows of two tables on a condition. An **INNER JOIN** keeps only the rows that
# find a match (a plain `JOIN` is an inner join). A **LEFT JOIN** keeps every row of the left
# table; where there is no match, the right table's columns are NULL (missing).
#
# That NULL matters when you count: `COUNT(*)` counts rows, so a left row without a match still
# counts 1, while `COUNT(column)` counts only the non-NULL values. `COALESCE(x, 0)` replaces a
# NULL with 0.
#
# Here a small table of holidays is joined onto the last twelve days of 2024:

# %%
holidays = pd.DataFrame(
    {
        "day": pd.to_datetime(["2024-12-24", "2024-12-25", "2024-12-26"]),
        "holiday": ["Christmas Eve", "Christmas Day", "Boxing Day"],
    }
)

december = duckdb.sql(
    """
    SELECT v.date, v.visits, h.holiday
    FROM visits AS v
    LEFT JOIN holidays AS h ON h.day = v.date
    WHERE v.date >= '2024-12-20'
    ORDER BY v.date
    """
).df()
print(len(december), "days with a LEFT JOIN")  # all 12 days, holiday is missing on most
display(december)

# %%
inner = duckdb.sql(
    """
    SELECT v.date, v.visits, h.holiday
    FROM visits AS v
    INNER JOIN holidays AS h ON h.day = v.date
    """
).df()
print(len(inner), "days with an INNER JOIN")  # only the 3 days that match a holiday

duckdb.sql(
    """
    SELECT COUNT(*) AS rows_counted, COUNT(h.holiday) AS holidays_counted
    FROM visits AS v
    LEFT JOIN holidays AS h ON h.day = v.date
    WHERE v.date >= '2024-12-20'
    """
).df()

# %% [markdown]
# ## CTEs: a query in steps
#
# Some questions need two levels of aggregation: "the average *month*" needs monthly totals
# first, then an average of those totals. A **CTE** (common table expression) names the first
# step with `WITH name AS (...)`, and the main query then reads it like a table:

# %%
duckdb.sql(
    """
    WITH monthly AS (
        SELECT date_trunc('month', date) AS month, SUM(signups) AS signups
        FROM visits
        GROUP BY month
    )
    SELECT year(month) AS year, AVG(signups) AS avg_month, COUNT(*) AS months
    FROM monthly
    GROUP BY year
    ORDER BY year
    """
).df()

# %% [markdown]
# `AVG(signups)` straight on `visits` would have given the average *day* instead: same column,
# different question. The CTE makes the level of each number explicit.
#
# ## Your data
#
# `sales` holds the orders (one row per order, with `order_date`, `customer_id`, `category`,
# `quantity` and `unit_price`). The customers are written to `customers.parquet` in your
# workspace; some of them never ordered, and a few buyers in `sales` are missing from the file.

# %%
sales = datasets.load("retail_sales")
datasets.load("customers").to_parquet("customers.parquet", index=False)

duckdb.sql("SELECT * FROM 'customers.parquet' LIMIT 3").df()

# %% [markdown]
# ## Task 1 — revenue per category in 2024
#
# Query `sales` for the orders placed in 2024. Return one row per category with `category`,
# `orders` (the number of orders) and `revenue` (the sum of quantity × unit_price), largest
# revenue first, as a pandas DataFrame `category_2024`.

# %% task:q1
category_2024 = ____

# %% check:q1
ch.q1.check()

# %% [markdown]
# ## Task 2 — every customer, with or without orders
#
# Join `customers.parquet` with `sales` so that **every customer in the file** appears, even
# those who never ordered. Columns: `customer_id`, `name`, `segment`, `orders` (their number of
# orders) and `spend` (their total quantity × unit_price). A customer without orders has 0 orders
# and a spend of 0, not a missing value. Sort by `spend`, largest first, then by `customer_id`,
# and store the pandas DataFrame in `customer_orders`.

# %% task:q2
customer_orders = ____

# %% check:q2
ch.q2.check()

# %% [markdown]
# ## Task 3 — average spend per customer, by segment
#
# How much does a typical buyer in each segment spend in total? Write a CTE that totals each
# buyer's spend from `sales`, then join those totals with `customers.parquet` (an inner join:
# buyers missing from the file are left out) and average them per segment. Columns: `segment`,
# `customers` (the number of buyers in the segment) and `avg_spend` (the average of their
# totals), largest average first. Store the pandas DataFrame in `segment_spend`.

# %% task:q3
segment_spend = ____

# %% check:q3
ch.q3.check()

# %% [markdown]
# ## Submit
#
# Save the notebook (Ctrl+S), then verify it in a fresh kernel. XP is awarded only here.

# %% submit
ch.submit()
