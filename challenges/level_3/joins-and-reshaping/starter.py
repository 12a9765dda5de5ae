# %% [markdown]
# # Join the right way, then reshape
#
# Real questions rarely fit in one table. Orders name a customer; the customer's segment lives
# in another file. Joining them looks easy, but the **type of join decides which rows
# survive**, and the wrong one gives a tidy-looking table with rows silently missing.
#
# The second half is about **shape**. A *long* table has one row per observation (month,
# category, revenue) and suits grouping and plotting. A *wide* table has one column per
# category and suits reading and comparing. `pivot_table` goes from long to wide and `melt`
# goes back.
#
# Run each task's check cell after you answer; `ch.q1.hint()` helps when you are stuck.

# %% binding
import pandas as pd

from sandbox import datasets
from sandbox.grading import ____, challenge

ch = challenge("joins-and-reshaping")

# %% [markdown]
# ## Worked example: a small library
#
# Three members, and four loans. One loan names member 4, whose account was deleted, and
# member 3 has never borrowed anything.

# %%
members = pd.DataFrame({"member_id": [1, 2, 3], "plan": ["student", "adult", "adult"]})
loans = pd.DataFrame(
    {
        "loan_id": [101, 102, 103, 104],
        "member_id": [1, 1, 2, 4],
        "month": ["2024-01", "2024-02", "2024-02", "2024-02"],
        "genre": ["novel", "poetry", "novel", "novel"],
        "days": [14, 7, 21, 10],
    }
)
loans.head()

# %% [markdown]
# `merge` joins on a key. `how` decides what happens to rows without a partner:
#
# | `how` | keeps |
# |---|---|
# | `"inner"` (the default) | only rows whose key is on both sides |
# | `"left"` | every row of the left frame; missing values where the right has no partner |
# | `"right"` | every row of the right frame |
# | `"outer"` | every row of both |
#
# Always compare the row counts before and after a join. `validate="many_to_one"` adds a
# safety check: it raises an error if a key appears twice on the right, which would quietly
# duplicate rows on the left.

# %%
inner = loans.merge(members, on="member_id")
left = loans.merge(members, on="member_id", how="left", validate="many_to_one")
print(len(loans), "loans;", len(inner), "after an inner join;", len(left), "after a left join")
left.head()

# %% [markdown]
# To find the rows **without** a partner (an *anti-join*), ask which keys are not in the other
# table with `isin`, or merge with `indicator=True` and read the `_merge` column.

# %%
no_loans = ~members["member_id"].isin(loans["member_id"])
print("members who never borrowed:", set(members.loc[no_loans, "member_id"]))
both = members.merge(loans, on="member_id", how="outer", indicator=True)
both[["member_id", "loan_id", "_merge"]].head(10)

# %% [markdown]
# **Counting what is missing.** The average number of loan days *per member* must include
# member 3 with 0 days. Start from `members`, left-join the totals, and fill the gap with 0.
# An inner join (or a left join without `fillna`) drops member 3 from the average and
# overstates it.

# %%
days = loans.groupby("member_id", as_index=False)["days"].sum()
per_member = members.merge(days, on="member_id", how="left").fillna({"days": 0})
print("average over every member:", per_member["days"].mean())
print("average after an inner join (wrong):", members.merge(days, on="member_id")["days"].mean())

# %% [markdown]
# **Long to wide.** `pivot_table` puts one column's values across new columns. It
# **averages** by default (`aggfunc="mean"`); say `aggfunc="sum"` when you want totals. A
# combination that never occurs gets a missing value, or `fill_value` if you give one.

# %%
wide = loans.pivot_table(index="month", columns="genre", values="days", aggfunc="sum", fill_value=0)
wide.head()

# %% [markdown]
# **Wide to long.** `melt` turns columns back into rows. It ignores the index, so first make
# the index a column with `reset_index()` and name it in `id_vars`.

# %%
wide.reset_index().melt(id_vars="month", var_name="genre", value_name="days")

# %% [markdown]
# ## The data
#
# `sales` holds the shop's orders, with `revenue` (quantity × unit price) and `month` added
# for you. `customers` holds the customer accounts. The two do not match perfectly: some
# customers never ordered, and some orders name a customer whose account was deleted.

# %%
sales = datasets.load("retail_sales")
sales["revenue"] = sales["quantity"] * sales["unit_price"]
sales["month"] = sales["order_date"].dt.strftime("%Y-%m")
customers = datasets.load("customers")
print(len(sales), "orders,", len(customers), "customers")

# %% [markdown]
# ## Task 1 — every order with its segment
#
# Build `orders`: every row of `sales` plus the buyer's `segment`, and no other new column.
# Keep **all** orders; an order whose buyer is not in `customers` gets an empty segment.

# %% task:q1
orders = ____

# %% check:q1
ch.q1.check()

# %% [markdown]
# ## Task 2 — the rows that do not match
#
# Store two sets of `customer_id`s:
#
# - `never_ordered`: customers in `customers` who never placed an order,
# - `unknown_buyers`: ids that appear in `sales` but not in `customers`.

# %% task:q2
never_ordered = ____
unknown_buyers = ____

# %% check:q2
ch.q2.check()

# %% [markdown]
# ## Task 3 — revenue per customer, by segment
#
# Marketing asks: "how much does the average customer of each segment spend with us?" Store
# the answer in `revenue_per_customer`, a Series indexed by `segment`. Every customer in
# `customers` counts, and one who never ordered counts as 0 revenue. (Orders from unknown
# buyers have no segment, so they cannot count here.)

# %% task:q3
revenue_per_customer = ____

# %% check:q3
ch.q3.check()

# %% [markdown]
# ## Task 4 — a wide table with pivot_table
#
# Build `monthly`: the **total** revenue with one row per `month` (the index) and one column
# per `category`.

# %% task:q4
monthly = ____

# %% check:q4
ch.q4.check()

# %% [markdown]
# ## Task 5 — back to long with melt
#
# Turn `monthly` back into a long table `monthly_long` with exactly three columns, `month`,
# `category` and `revenue`: one row per month and category.

# %% task:q5
monthly_long = ____

# %% check:q5
ch.q5.check()

# %% [markdown]
# ## Submit
#
# Save the notebook (Ctrl+S), then verify it in a fresh kernel. XP is awarded only here.

# %% submit
ch.submit()
