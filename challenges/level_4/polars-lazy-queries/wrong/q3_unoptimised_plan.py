# targets: q3
# expect: optimized=False
# %% q3
lazy_books = (
    pl.scan_parquet("transactions.parquet")
    .filter(pl.col("category") == "books")
    .group_by("store_id")
    .agg(revenue=pl.col("amount").sum(), transactions=pl.len())
    .sort(["revenue", "store_id"], descending=[True, False])
    .head(5)
)
plan = lazy_books.explain(optimized=False)
