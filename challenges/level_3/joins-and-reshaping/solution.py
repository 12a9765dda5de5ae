# %% q1
orders = sales.merge(
    customers[["customer_id", "segment"]], on="customer_id", how="left", validate="many_to_one"
)

# %% q2
never_ordered = set(
    customers.loc[~customers["customer_id"].isin(sales["customer_id"]), "customer_id"]
)
unknown_buyers = set(sales.loc[~sales["customer_id"].isin(customers["customer_id"]), "customer_id"])

# %% q3
totals = sales.groupby("customer_id", as_index=False)["revenue"].sum()
revenue_per_customer = (
    customers.merge(totals, on="customer_id", how="left")
    .fillna({"revenue": 0})
    .groupby("segment")["revenue"]
    .mean()
)

# %% q4
monthly = sales.pivot_table(index="month", columns="category", values="revenue", aggfunc="sum")

# %% q5
monthly_long = monthly.reset_index().melt(
    id_vars="month", var_name="category", value_name="revenue"
)
