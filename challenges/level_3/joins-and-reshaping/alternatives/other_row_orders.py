# targets: q1, q3, q4, q5
# Valid answers in other row orders (no task here names an order): orders sorted by date,
# segments from richest to poorest, the wide table newest month first, the long table by
# category.
# %% q1
orders = sales.merge(customers[["customer_id", "segment"]], on="customer_id", how="left")
orders = orders.sort_values(["order_date", "order_id"], ascending=False)

# %% q3
totals = sales.groupby("customer_id")["revenue"].sum()
spend = customers.set_index("customer_id")["segment"].to_frame()
spend["revenue"] = totals.reindex(spend.index).fillna(0)
revenue_per_customer = spend.groupby("segment")["revenue"].mean().sort_values(ascending=False)

# %% q4
monthly = sales.pivot_table(
    index="month", columns="category", values="revenue", aggfunc="sum"
).sort_index(ascending=False)

# %% q5
monthly_long = (
    monthly.reset_index()
    .melt(id_vars="month", var_name="category", value_name="revenue")
    .sort_values(["category", "month"])
)
