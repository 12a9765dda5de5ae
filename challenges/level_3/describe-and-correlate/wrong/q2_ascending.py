# targets: q2
# expect: row 0, column `category`
# %% q2
category_stats = (
    sales.groupby("category")["revenue"]
    .agg(
        orders="count",
        median_revenue="median",
        iqr_revenue=lambda s: s.quantile(0.75) - s.quantile(0.25),
    )
    .sort_values("median_revenue")
)
