# targets: q2
# expect: column `iqr_revenue`
# %% q2
category_stats = (
    sales.groupby("category")["revenue"]
    .agg(orders="count", median_revenue="median", iqr_revenue="std")
    .sort_values("median_revenue", ascending=False)
)
