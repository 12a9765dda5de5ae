# %% [markdown]
# # Window functions in SQL
#
# `GROUP BY` collapses rows: one row per group. A **window function** computes over a group of
# rows too, but keeps every row and writes the answer next to it. That is what you need for a
# running total, a rank within a group, or a comparison with the previous row: questions that
# plain aggregation answers only with awkward self-joins.
#
# Every window function has the same shape:
#
# ```sql
# function(...) OVER (PARTITION BY <groups> ORDER BY <order within a group>)
# ```
#
# `PARTITION BY` splits the rows into independent windows (leave it out and the whole table is
# one window); `ORDER BY` decides which rows come "before" the current one.
#
# In this challenge you compute a running total that restarts every year, rank customers with
# ties, and measure the days between a customer's orders, all with DuckDB.

# %% binding
from sandbox import datasets
from sandbox.grading import ____, challenge

ch = challenge("sql-window-functions")

# %% [markdown]
# ## Running totals
#
# `SUM(x) OVER (ORDER BY day)` adds up `x` over every row up to the current one: a running total.
# With `PARTITION BY`, each group gets its own total, starting again from zero.
#
# The worked examples use three years of daily website visits. Here the signups are totalled
# day by day within each month:

# %%
import duckdb

visits = datasets.load("daily_visits")

duckdb.sql(
    """
    SELECT
        date,
        signups,
        SUM(signups) OVER (PARTITION BY date_trunc('month', date) ORDER BY date)
            AS signups_this_month,
        SUM(signups) OVER (ORDER BY date) AS signups_ever
    FROM visits
    WHERE date BETWEEN '2022-01-29' AND '2022-02-03'
    ORDER BY date
    """
).df()

# %% [markdown]
# On 1 February `signups_this_month` starts again; `signups_ever`, without `PARTITION BY`, runs
# on. Careful: `WHERE` is applied *before* the window functions, so `signups_ever` only adds up
# the six days that pass the filter, not every day since 2022. To filter on the *result* of a
# window function instead, use `QUALIFY` (below) or an outer query.
#
# A window can also be a fixed number of rows around the current one. A 7-day moving average:

# %%
duckdb.sql(
    """
    SELECT
        date,
        visits,
        AVG(visits) OVER (ORDER BY date ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS visits_7d
    FROM visits
    ORDER BY date
    LIMIT 10
    """
).df()

# %% [markdown]
# The first six days average fewer than seven values: there are no earlier rows to include.
#
# ## Ranking, and what happens with ties
#
# Three functions number the rows of a window in order, and they differ only when two rows tie:
#
# | function | tied values get | after a tie |
# |---|---|---|
# | `ROW_NUMBER()` | different numbers (1, 2), in no guaranteed order | continues: 3 |
# | `RANK()` | the same rank (1, 1) | skips: 3 |
# | `DENSE_RANK()` | the same rank (1, 1) | does not skip: 2 |
#
# "The top 3" therefore means different rows depending on the function. `QUALIFY` filters on a
# window function the way `HAVING` filters on an aggregate. In March 2022 two days tie for the
# most signups:

# %%
duckdb.sql(
    """
    SELECT
        date,
        signups,
        ROW_NUMBER() OVER (PARTITION BY date_trunc('month', date) ORDER BY signups DESC)
            AS row_number,
        RANK() OVER (PARTITION BY date_trunc('month', date) ORDER BY signups DESC) AS rank,
        DENSE_RANK() OVER (PARTITION BY date_trunc('month', date) ORDER BY signups DESC)
            AS dense_rank
    FROM visits
    WHERE date BETWEEN '2022-03-01' AND '2022-03-31'
    QUALIFY dense_rank <= 3
    ORDER BY rank, date
    """
).df()

# %% [markdown]
# ## Looking at the previous row: LAG and LEAD
#
# `LAG(x)` returns `x` from the previous row of the window (NULL for the first row) and `LEAD(x)`
# from the next one. With `PARTITION BY`, "previous" means previous *within the group*. Below,
# each day is compared with the same weekday one week earlier, by partitioning on the weekday:

# %%
duckdb.sql(
    """
    SELECT
        date,
        dayname(date) AS weekday,
        visits,
        LAG(visits) OVER (PARTITION BY dayname(date) ORDER BY date) AS same_day_last_week,
        visits - LAG(visits) OVER (PARTITION BY dayname(date) ORDER BY date) AS change
    FROM visits
    ORDER BY date
    LIMIT 10
    """
).df()

# %% [markdown]
# The first seven rows have no earlier row of their weekday, so `LAG` gives NULL (shown as
# `<NA>` or `NaN`). To count the days between two dates, use `date_diff('day', earlier, later)`.
#
# ## Your data
#
# `sales` holds the shop's orders, one row per order, with `order_id`, `order_date`,
# `customer_id`, `country`, `quantity` and `unit_price`.

# %%
sales = datasets.load("retail_sales")
sales.head()

# %% [markdown]
# ## Task 1 — running revenue, restarting each year
#
# Compute the revenue (quantity × unit_price) of each calendar month, and a running total that
# starts again every January. Columns: `month` (the first day of the month, from
# `date_trunc('month', order_date)`), `revenue` and `running_revenue`, ordered by month. Store the
# pandas DataFrame in `monthly_running`.

# %% task:q1
monthly_running = ____

# %% check:q1
ch.q1.check()

# %% [markdown]
# ## Task 2 — top customers per country, ties included
#
# For each country (the country an order ships to), count each customer's orders and rank the
# customers by that count, most orders first. Tied customers share a rank and the next rank is
# skipped (1, 2, 2, 4). Keep ranks 1 to 3, **ties included**, so a country can have more than
# three rows. Columns: `country`, `customer_id`, `orders` and `rank`, ordered by country, rank,
# then customer_id. Store the pandas DataFrame in `top_customers`.

# %% task:q2
top_customers = ____

# %% check:q2
ch.q2.check()

# %% [markdown]
# ## Task 3 — days since the customer's previous order
#
# For every order, how many days have passed since **the same customer's** previous order? A
# customer's first order has no previous one, so its value is missing. Order each customer's
# orders by `order_date`, then `order_id` (a customer can order twice in one day). Columns:
# `order_id`, `customer_id`, `order_date` and `days_since_previous`, ordered by order_id. Store
# the pandas DataFrame in `order_gaps`.

# %% task:q3
order_gaps = ____

# %% check:q3
ch.q3.check()

# %% [markdown]
# ## Submit
#
# Save the notebook (Ctrl+S), then verify it in a fresh kernel. XP is awarded only here.

# %% submit
ch.submit()
