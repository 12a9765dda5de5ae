# targets: q3
# expect: column `avg_order_value`
# %% q3
country_summary = (
    orders.groupby("country")
    .agg(
        n_orders=("order_id", "count"),
        revenue=("revenue", "sum"),
        avg_order_value=("revenue", "median"),
    )
    .sort_values("revenue", ascending=False)
)
