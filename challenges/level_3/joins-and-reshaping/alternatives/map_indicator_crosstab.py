# targets: q1, q2, q3, q4, q5
# Series.map for the lookup, an outer merge with indicator for both anti-joins, reindex with a
# fill value, crosstab for the wide table, and the long table built row by row.
# %% q1
segment_of = customers.set_index("customer_id")["segment"]
orders = sales.assign(segment=sales["customer_id"].map(segment_of))

# %% q2
both = customers[["customer_id"]].merge(
    sales[["customer_id"]].drop_duplicates(), how="outer", indicator=True
)
never_ordered = set(both.loc[both["_merge"] == "left_only", "customer_id"])
unknown_buyers = set(both.loc[both["_merge"] == "right_only", "customer_id"])

# %% q3
spend = (
    sales.groupby("customer_id")["revenue"].sum().reindex(customers["customer_id"], fill_value=0)
)
revenue_per_customer = spend.groupby(segment_of).mean()

# %% q4
monthly = pd.crosstab(sales["month"], sales["category"], values=sales["revenue"], aggfunc="sum")

# %% q5
monthly_long = pd.DataFrame(
    [
        (month, category, monthly.loc[month, category])
        for month in monthly.index
        for category in monthly.columns
    ],
    columns=["month", "category", "revenue"],
)
