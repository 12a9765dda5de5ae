# %% q1
orders = sales.assign(revenue=sales["quantity"] * sales["unit_price"])

# %% q2
revenue_by_category = orders.groupby("category")["revenue"].sum().sort_values(ascending=False)

# %% q3
country_summary = (
    orders.groupby("country")
    .agg(
        n_orders=("order_id", "count"),
        revenue=("revenue", "sum"),
        avg_order_value=("revenue", "mean"),
    )
    .sort_values("revenue", ascending=False)
)

# %% q4
top_products = orders.groupby("product")["quantity"].sum().sort_values(ascending=False).head(3)
