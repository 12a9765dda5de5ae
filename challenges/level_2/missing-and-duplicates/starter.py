# %% [markdown]
# # Missing values and duplicate rows
#
# Real exports are never as tidy as the examples in a tutorial. Before you trust a single
# number, you look for the two most common problems: **gaps** (cells with no value) and
# **duplicates** (the same record twice, often because a batch was exported twice). Both change
# your results quietly: a duplicated order counts its revenue twice, and a row without a price
# cannot be added up at all.
#
# In this challenge you take the raw export of the online shop, `retail_sales_messy`, count its
# gaps, find and remove its duplicate rows, and decide which incomplete rows cannot be kept.
#
# After each task, run its check cell. `ch.q1.hint()` shows a hint if you are stuck. When every
# task passes, run `ch.submit()` to verify the notebook in a fresh kernel and earn XP.

# %% binding
from sandbox import datasets
from sandbox.grading import ____, challenge

ch = challenge("missing-and-duplicates")

# %% [markdown]
# ## Worked example: a library's loans
#
# A small table of book loans, typed in by hand, with the usual problems. pandas marks a missing
# value as `NaN` ("not a number") or `None`.

# %%
import pandas as pd

loans = pd.DataFrame(
    {
        "loan_id": [1, 2, 2, 3, 4, 5, 5, 6],
        "member_id": [101, 102, 102, None, 104, 105, 105, 106],
        "title": ["Dune", "Emma", "Emma", "Ulysses", "Beloved", None, None, "Hamlet"],
        "days": [14, 7, 7, 21, None, 14, 14, 7],
    }
)
display(loans)

# %% [markdown]
# **Counting gaps.** `isna()` turns every cell into `True` (missing) or `False`; `sum()` then
# counts the `True` values of each column, because `True` counts as 1:

# %%
gaps = loans.isna().sum()
print(gaps)

# %% [markdown]
# Usually you only care about the columns that *have* gaps, worst first. Filter the Series with a
# condition on its own values, then sort it:

# %%
gaps[gaps > 0].sort_values(ascending=False)

# %% [markdown]
# **Finding duplicates.** `duplicated()` marks a row `True` when an identical row appeared
# *earlier*, so the first copy is not marked. To see every row involved, the originals as well as
# the copies, pass `keep=False`:

# %%
print(loans.duplicated().sum(), "extra copies")
loans[loans.duplicated(keep=False)]

# %% [markdown]
# **Removing duplicates.** `drop_duplicates()` keeps the first copy of each row and drops the
# rest. (`drop_duplicates(keep=False)` would drop the originals too, which loses real records.)
#
# **Dropping incomplete rows.** Not every gap is fatal. A loan without a `member_id` cannot be
# charged to anyone, so it has to go; a loan whose `days` is unknown can still be counted. So you
# name the columns that must be present with `dropna(subset=[...])` instead of dropping every row
# with any gap.
#
# Notice the type of `member_id`: pandas stored it as `float64`, because an integer column cannot
# hold `NaN`. Once the gaps are gone, `astype("int64")` turns it back into whole numbers.

# %%
kept = loans.drop_duplicates().dropna(subset=["member_id"])
kept = kept.assign(member_id=kept["member_id"].astype("int64"))
print(kept.dtypes)
display(kept)

# %% [markdown]
# Your turn. The raw export is already loaded below as `messy`: every row as it came out of the
# shop's system.

# %%
messy = datasets.load("retail_sales_messy")
print(messy.shape)
messy.head()

# %% [markdown]
# ## Task 1 — where are the gaps?
#
# Store in `missing_counts` the number of missing values per column, keeping **only the columns
# that have at least one**, sorted from most to fewest. It is a Series: the column name as index,
# the count as value.

# %% task:q1
missing_counts = ____

# %% check:q1
ch.q1.check()

# %% [markdown]
# ## Task 2 — look at the duplicates
#
# Before deleting anything, look at it. Store in `duplicate_rows` **every** row of `messy` that
# has an exact copy elsewhere in the table: the originals *and* their copies. Keep pandas' row
# labels as they are (no `reset_index`).

# %% task:q2
duplicate_rows = ____

# %% check:q2
ch.q2.check()

# %% [markdown]
# ## Task 3 — remove the extra copies
#
# Store in `deduped` the table with each duplicated order kept **once**: drop only the extra
# copies, never the original, and keep the row labels (task 4 needs them).

# %% task:q3
deduped = ____

# %% check:q3
ch.q3.check()

# %% [markdown]
# ## Task 4 — decide what cannot be kept
#
# An order without a customer cannot be attributed, one without a country cannot be shipped, and
# one without a unit price cannot be added to revenue. Starting from `deduped`, store in `orders`
# the rows that have a `customer_id`, a `country` **and** a `unit_price`, and make `customer_id`
# an integer column again (it was read as `float64` because of its gaps). Keep the row labels.

# %% task:q4
orders = ____

# %% check:q4
ch.q4.check()

# %% [markdown]
# ## What you did
#
# You counted the gaps, looked at the duplicates before deleting them, removed only the extra
# copies and dropped the rows that cannot be used, naming the columns that must be present. The
# table still has other problems (dates that are not dates, countries spelled in many ways,
# broken e-mail addresses, negative quantities): the next challenges deal with them.
#
# ## Submit
#
# Save the notebook (Ctrl+S), then verify it in a fresh kernel. XP is awarded only here.

# %% submit
ch.submit()
