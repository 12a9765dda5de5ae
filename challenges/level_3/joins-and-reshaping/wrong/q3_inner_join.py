# targets: q3
# expect: first differs at row
# %% q3
totals = sales.groupby("customer_id", as_index=False)["revenue"].sum()
revenue_per_customer = (
    customers.merge(totals, on="customer_id").groupby("segment")["revenue"].mean()
)
