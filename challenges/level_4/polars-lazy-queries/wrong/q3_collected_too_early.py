# targets: q3
# expect: already run
# %% q3
lazy_books = (
    pl.scan_parquet("transactions.parquet")
    .filter(pl.col("category") == "books")
    .group_by("store_id")
    .agg(revenue=pl.col("amount").sum(), transactions=pl.len())
    .sort(["revenue", "store_id"], descending=[True, False])
    .head(5)
    .collect()
)
plan = "not needed"

# %% q4
top_stores = lazy_books
