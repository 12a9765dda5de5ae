# targets: q1
# expect: missing column(s) `category`
# %% q1
category_revenue = (
    sales.groupby("category")[["revenue"]].sum().sort_values("revenue", ascending=False)
)
