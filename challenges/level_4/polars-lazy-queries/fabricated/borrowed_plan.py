# targets: q3
# expect: plan
# The right query, but the plan printed for the worked example's query, pasted in.
# %% q3
lazy_books = (
    pl.scan_parquet("transactions.parquet")
    .filter(pl.col("category") == "books")
    .group_by("store_id")
    .agg(revenue=pl.col("amount").sum(), transactions=pl.len())
    .sort(["revenue", "store_id"], descending=[True, False])
    .head(5)
)
plan = corporate_by_country.explain()
