# %% [markdown]
# # pandas, Polars and DuckDB through Arrow
#
# You now know three engines for tables: pandas, Polars and DuckDB. You do not have to choose one
# for a whole project. They all speak **Apache Arrow**, a standard way to lay out a table's
# columns in memory, so a table can pass from one to another cheaply, often without copying a
# single value. Load with pandas, aggregate with SQL, finish in Polars: each step in the tool
# that says it best.
#
# In the first half of this challenge you move the shop's orders between the three engines. In
# the second half you answer one question with all three on a million rows, time them, and
# report how they compare **on this machine**. The numbers you get are yours: they depend on the
# processor, the number of cores, the library versions and the shape of the data, which is
# exactly why you measure instead of trusting a benchmark from somewhere else.

# %% binding
from sandbox import datasets
from sandbox.grading import ____, challenge

ch = challenge("engines-through-arrow")

# %% [markdown]
# ## The conversions
#
# | from | to | how |
# |---|---|---|
# | pandas | Polars | `pl.from_pandas(df)` |
# | Polars | pandas | `df.to_pandas()` |
# | Polars | Arrow | `df.to_arrow()` (a `pyarrow.Table`, no copy) |
# | Arrow | Polars | `pl.from_arrow(table)` |
# | pandas, Polars or Arrow | DuckDB | name the variable in the query: `FROM df` |
# | DuckDB | pandas / Polars / Arrow | `.df()` / `.pl()` / `.to_arrow_table()` |
#
# One trap in DuckDB 2: `.arrow()` returns a `RecordBatchReader`, a stream of batches you can
# read only once, not a table. Until it is read to the end, DuckDB's connection stays busy and the
# next query fails with "connection has an open result". Use `.to_arrow_table()` when you want a
# table.
#
# The worked example takes the customers table on the whole trip:

# %%
import duckdb
import polars as pl

customers = datasets.load("customers")  # pandas
customers_pl = pl.from_pandas(customers)  # pandas -> Polars
customers_arrow = customers_pl.to_arrow()  # Polars -> Arrow
print(type(customers_arrow))
print(customers_arrow.schema)

# %%
per_segment = duckdb.sql(  # Arrow -> DuckDB -> Polars
    """
    SELECT segment, COUNT(*) AS customers
    FROM customers_arrow
    GROUP BY segment
    ORDER BY customers DESC
    """
).pl()
print(type(per_segment))
print(per_segment)

# %% [markdown]
# The same query can be fetched in whichever form the next step needs:

# %%
query = duckdb.sql("SELECT segment, COUNT(*) AS customers FROM customers_pl GROUP BY segment")
print(type(query.df()))  # pandas
print(type(query.pl()))  # Polars
print(type(query.to_arrow_table()))  # Arrow table

reader = query.arrow()
print(type(reader))  # a stream reader, not a table
reader.read_all()  # reading it to the end gives a table and frees the connection

# %% [markdown]
# ## Your data
#
# `sales` holds the shop's orders as a **pandas** DataFrame.

# %%
sales = datasets.load("retail_sales")
type(sales)

# %% [markdown]
# ## Task 1 — from pandas to Polars
#
# Convert `sales` into a **polars** DataFrame `sales_pl` with the same columns and rows.

# %% task:q1
sales_pl = ____

# %% check:q1
ch.q1.check()

# %% [markdown]
# ## Task 2 — SQL on a Polars frame, answer in Polars
#
# With DuckDB, query `sales_pl` for one row per country with `country`, `orders` (the number of
# orders) and `revenue` (the sum of quantity × unit_price), largest revenue first. Fetch the
# answer as a **polars** DataFrame `country_revenue`.

# %% task:q2
country_revenue = ____

# %% check:q2
ch.q2.check()

# %% [markdown]
# ## Task 3 — the same answer as an Arrow table
#
# Store the same result as a **pyarrow Table** in `country_arrow`.

# %% task:q3
country_arrow = ____

# %% check:q3
ch.q3.check()

# %% [markdown]
# ## A fair race
#
# Timing code is easy to get wrong. The rules used here:
#
# - **Time only the work.** Each engine gets the data already in its own form: `tx` for pandas,
#   `tx_pl` for Polars, `tx_arrow` for DuckDB (which reads an Arrow table in place). Converting
#   is a separate cost, paid once.
# - **Make sure the work happens inside the timer.** A polars `LazyFrame` and a DuckDB query do
#   nothing until you `.collect()` or fetch them (`.df()`, `.pl()`, …). Timing an unfetched query
#   measures how fast you can *describe* the work, not do it.
# - **Repeat and keep the fastest run.** Other programs can only slow a run down, never speed it
#   up, so the minimum of a few runs is the most faithful number. `time.perf_counter()` is the
#   clock made for this.
#
# `best_of` below applies those rules to any function you give it. The million transactions are
# generated in memory (a second or so).

# %%
import time


def best_of(fn, repeat=5):
    """The fastest of `repeat` calls of fn(), in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


tx = datasets.generate_transactions(1_000_000, seed=0)  # pandas
tx_pl = pl.from_pandas(tx)  # Polars
tx_arrow = tx_pl.to_arrow()  # Arrow, for DuckDB
tx.head()

# %% [markdown]
# ### Worked example: total quantity sold
#
# One function per engine, each returning a finished result. Check the answers agree *before*
# comparing speeds: a fast wrong answer is worth nothing.


# %%
def quantity_pandas():
    return int(tx["quantity"].sum())


def quantity_polars():
    return int(tx_pl["quantity"].sum())


def quantity_duckdb():
    return int(duckdb.sql("SELECT SUM(quantity) FROM tx_arrow").fetchall()[0][0])


print(quantity_pandas(), quantity_polars(), quantity_duckdb())

quantity_timings = {
    "pandas": best_of(quantity_pandas),
    "polars": best_of(quantity_polars),
    "duckdb": best_of(quantity_duckdb),
}
print(quantity_timings)

# %% [markdown]
# A **speed-up over pandas** divides the pandas time by the other engine's time: 2.0 means twice
# as fast as pandas, 0.5 half as fast. Dividing the other way round gives the slow-down, an easy
# inversion to make. On a sum this simple, fixed costs (parsing SQL, starting threads) can
# outweigh the work itself, so do not read much into these particular numbers.

# %%
{engine: quantity_timings["pandas"] / quantity_timings[engine] for engine in ("polars", "duckdb")}

# %% [markdown]
# ## Task 4 — one answer, three engines
#
# Compute the total `amount` per `category` (14 categories) three times: pandas on `tx`, Polars
# on `tx_pl`, DuckDB on `tx_arrow`. Write each as a function without arguments, for example
# `revenue_pandas()`, `revenue_polars()` and `revenue_duckdb()`, that returns a finished table
# with the columns `category` and `revenue` (you time these functions in the next task). Store
# their results in `results = {"pandas": ..., "polars": ..., "duckdb": ...}`. The rows may come
# in any order.

# %% task:q4
results = ____

# %% check:q4
ch.q4.check()

# %% [markdown]
# ## Task 5 — time them, and report the speed-ups
#
# Time each of your three functions with `best_of` and store the seconds in
# `timings = {"pandas": ..., "polars": ..., "duckdb": ...}`. Then store the speed-up over pandas
# of Polars and of DuckDB, **computed from your timings**, in `ratios = {"polars": ...,
# "duckdb": ...}`.
#
# When it passes, look at your numbers. Which engine won here, and by how much? Run the cell
# again: how much do the timings move? That spread is the noise in any single benchmark.

# %% task:q5
timings = ____
ratios = ____

# %% check:q5
ch.q5.check()

# %% [markdown]
# ## Submit
#
# Save the notebook (Ctrl+S), then verify it in a fresh kernel. XP is awarded only here.

# %% submit
ch.submit()
