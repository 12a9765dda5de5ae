# targets: q2
# expect: category_stats
# Statistics computed on a sample of 200 orders rather than on all of them.
# %% q2
sample = sales.sample(200, random_state=0)
category_stats = (
    sample.groupby("category")["revenue"]
    .agg(
        orders="count",
        median_revenue="median",
        iqr_revenue=lambda s: s.quantile(0.75) - s.quantile(0.25),
    )
    .sort_values("median_revenue", ascending=False)
)
