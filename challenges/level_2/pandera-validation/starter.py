# %% [markdown]
# # Prove it with a schema
#
# Cleaning by hand fixes today's file. Tomorrow's export will bring new problems, and nobody
# will look at it row by row. A **schema** writes down what a valid table looks like (its
# columns, their types and the rules every value obeys) so that a program can check the data
# for you, every time, and list exactly which cells break which rule.
#
# **Pandera** does this for pandas and for polars. In this challenge you write a schema for the
# shop's clean orders, show that it accepts the clean table and catches every problem planted
# in the raw export, then do the same with polars, where one trap waits: a LazyFrame.
#
# After each task, run its check cell; `ch.q1.hint()` helps when you are stuck. When every task
# passes, run `ch.submit()` to earn XP.

# %% binding
from sandbox import datasets
from sandbox.grading import ____, challenge

ch = challenge("pandera-validation")

# %% [markdown]
# ## Worked example: a gym's members
#
# Five members of a gym, with a few problems: a repeated id, a missing join date, plans that do
# not exist, an under-age member and a broken e-mail address.

# %%
import pandas as pd
import pandera.pandas as pa

members = pd.DataFrame(
    {
        "member_id": [1, 2, 3, 3, 5],
        "joined": pd.to_datetime(["2024-01-05", "2024-02-11", None, "2024-03-02", "2024-03-09"]),
        "plan": ["basic", "premium", "Premium", "basic", "family"],
        "age": [34, 17, 45, 45, 52],
        "email": ["ana@example.com", None, "cy@example", "dee@example.com", "eli@example.org"],
    }
)
display(members)

# %% [markdown]
# A `DataFrameSchema` maps each column name to a `Column`: its type, then a list of `Check`s.
#
# - Types: `int`, `float`, `str`, and `"datetime64[ns]"` for dates.
# - Checks: `pa.Check.ge(18)` (greater than or equal), `gt`, `le`, `lt`,
#   `isin([...])` (one of the allowed values), `str_matches(pattern)` (a regular expression;
#   anchor it with `^` and `$` so the *whole* value must fit).
# - `unique=True` rejects repeated values.
# - Missing values are rejected unless you write `nullable=True`. Here a member may have no
#   e-mail address, but every member must have a join date.

# %%
email_rule = r"^[\w.+-]+@[\w-]+(\.[\w-]+)*\.[a-z]{2,}$"

member_schema = pa.DataFrameSchema(
    {
        "member_id": pa.Column(int, unique=True),
        "joined": pa.Column("datetime64[ns]"),
        "plan": pa.Column(str, pa.Check.isin(["basic", "premium"])),
        "age": pa.Column(int, pa.Check.ge(18)),
        "email": pa.Column(str, pa.Check.str_matches(email_rule), nullable=True),
    }
)

# %% [markdown]
# `schema.validate(frame)` returns the frame when everything passes and raises an error when not.
# By default it stops at the **first** problem, which is of little use on a big table:

# %%
try:
    member_schema.validate(members)
except pa.errors.SchemaError as err:
    print(err)

# %% [markdown]
# With `lazy=True` pandera runs every check first, then raises one `SchemaErrors` (plural)
# whose `failure_cases` table lists every failing cell: its `column`, the `check` it broke, the
# `failure_case` (the bad value) and the row `index`.

# %%
try:
    member_schema.validate(members, lazy=True)
    cases = None  # reached only when every check passed
except pa.errors.SchemaErrors as err:
    cases = err.failure_cases
cases[["column", "check", "failure_case", "index"]]

# %% [markdown]
# ## Your turn: the shop's orders
#
# `clean` is the cleaned table, `retail_sales`: every row of it is valid. `typed` is the raw
# export with its order dates parsed as in the previous challenge (dates that could not be read
# are `NaT`). The problems planted in the export are documented: duplicate rows, gaps in
# `customer_id`, `country` and `unit_price`, unparseable dates, negative quantities, country
# spellings other than the six canonical names, and invalid e-mail addresses.

# %%
clean = datasets.load("retail_sales")
messy = datasets.load("retail_sales_messy")
typed = messy.assign(
    order_date=pd.to_datetime(messy["order_date"], format="%Y-%m-%d", errors="coerce")
)
print(clean.dtypes)

# %% [markdown]
# ## Task 1 — a schema for the orders
#
# Store in `sales_schema` a pandera (pandas) `DataFrameSchema` for the nine columns of the
# orders. It must **accept** `clean` and **reject** every planted problem of `typed`. Think
# about each column: its type, whether it may be missing (in the clean table only `email` can
# be), and which rule its values obey: order ids are unique, quantities and prices are
# positive, countries are one of United Kingdom, Germany, France, Spain, Netherlands, Ireland,
# and e-mail addresses match a pattern. (If you prefer pandera's class-based style,
# `pa.DataFrameModel`, that works too.)

# %% task:q1
sales_schema = ____

# %% check:q1
ch.q1.check()

# %% [markdown]
# ## Task 2 — every failure at once
#
# Validate `typed` with your schema, collecting **every** failure, and store the failure-case
# table (a pandas DataFrame) in `failure_cases`. Then explore it: how many failures does each
# column have? `failure_cases["column"].value_counts()` tells you. (`customer_id` also fails
# its type check: its gaps made pandas read it as `float64`.)

# %% task:q2
failure_cases = ____

# %% check:q2
ch.q2.check()

# %% [markdown]
# ## The same with polars
#
# `pandera.polars` offers the same API for polars frames. Column types are polars types:
# `pl.Int64`, `pl.Float64`, `pl.String`, `pl.Date`, `pl.Datetime`.

# %%
import pandera.polars as pap
import polars as pl

members_pl = pl.from_pandas(members)
member_schema_pl = pap.DataFrameSchema(
    {
        "member_id": pap.Column(pl.Int64, unique=True),
        "joined": pap.Column(pl.Datetime),
        "plan": pap.Column(pl.String, pap.Check.isin(["basic", "premium"])),
        "age": pap.Column(pl.Int64, pap.Check.ge(18)),
        "email": pap.Column(pl.String, pap.Check.str_matches(email_rule), nullable=True),
    }
)

# %% [markdown]
# **The LazyFrame trap.** Polars pipelines are often *lazy*: `pl.scan_csv(...)` or
# `frame.lazy()` gives a `LazyFrame`, a plan that reads no data until you `collect()` it. When
# pandera validates a LazyFrame it checks only the **schema** (column names and types); the
# **data** checks (missing values, ranges, allowed values, patterns) silently do not run. Our
# members break five rules, yet:

# %%
result = member_schema_pl.validate(members_pl.lazy(), lazy=True)
print("No error raised; got back a", type(result).__name__)

# %% [markdown]
# Collect first, then validate the DataFrame, and every check runs. (Setting the environment
# variable `PANDERA_VALIDATION_DEPTH=SCHEMA_AND_DATA` before importing pandera also works, but
# it is easy to forget on another machine; collecting is explicit.)

# %%
try:
    member_schema_pl.validate(members_pl.lazy().collect(), lazy=True)
    cases_pl = None
except pap.errors.SchemaErrors as err:
    cases_pl = err.failure_cases
cases_pl.select("column", "check", "failure_case", "index")

# %% [markdown]
# Below, `clean_pl` is the clean table in polars and `typed_lazy` a lazy pipeline that reads the
# raw export and parses its dates. Look at the polars types of the clean table.

# %%
clean_pl = datasets.load("retail_sales", backend="polars")
typed_lazy = pl.scan_csv(
    datasets.path("retail_sales_messy"), infer_schema_length=None
).with_columns(pl.col("order_date").str.to_date("%Y-%m-%d", strict=False))
print(clean_pl.schema)

# %% [markdown]
# ## Task 3 — the schema in polars
#
# Store in `sales_schema_pl` a `pandera.polars` `DataFrameSchema` with the same rules as your
# pandas schema, using polars types. It must accept `clean_pl` and reject every planted problem
# of the messy orders once they are collected.

# %% task:q3
sales_schema_pl = ____

# %% check:q3
ch.q3.check()

# %% [markdown]
# ## Task 4 — validate the data, not just the plan
#
# Validate the messy orders of `typed_lazy` with `sales_schema_pl`, collecting every failure,
# so that the **data** checks run. Store the failure-case table (a polars DataFrame) in
# `pl_failure_cases`.

# %% task:q4
pl_failure_cases = ____

# %% check:q4
ch.q4.check()

# %% [markdown]
# ## What you did
#
# Your schema is now a test for the data: run it on every new export and you know at once
# whether the cleaning still holds and, if not, which cells broke which rule. Compare your rules
# with the schema the sandbox itself uses, `datasets.schema("retail_sales")`.
#
# ## Submit
#
# Save the notebook (Ctrl+S), then verify it in a fresh kernel. XP is awarded only here.

# %% submit
ch.submit()
