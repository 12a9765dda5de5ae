# targets: q1, q2, q3, q4, q5
# DataFrame.join on an indexed lookup, set arithmetic, map + fillna for the totals, groupby +
# unstack for the wide table and stack for the long one.
# %% q1
orders = sales.join(customers.set_index("customer_id")["segment"], on="customer_id")

# %% q2
buyers = set(sales["customer_id"])
never_ordered = set(customers["customer_id"]) - buyers
unknown_buyers = buyers.difference(customers["customer_id"])

# %% q3
totals = sales.groupby("customer_id")["revenue"].sum()
per_customer = customers.assign(revenue=customers["customer_id"].map(totals).fillna(0))
revenue_per_customer = per_customer.groupby("segment")["revenue"].mean()

# %% q4
monthly = sales.groupby(["month", "category"])["revenue"].sum().unstack("category")

# %% q5
monthly_long = monthly.stack().rename("revenue").reset_index()
