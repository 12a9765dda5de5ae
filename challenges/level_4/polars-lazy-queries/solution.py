# %% q1
bulk_2024 = (
    sales.filter(pl.col("order_date").dt.year() == 2024, pl.col("quantity") >= 3)
    .with_columns(revenue=pl.col("quantity") * pl.col("unit_price"))
    .select("order_id", "order_date", "country", "category", "quantity", "revenue")
)

# %% q2
country_summary = (
    sales.with_columns(revenue=pl.col("quantity") * pl.col("unit_price"))
    .group_by("country")
    .agg(
        orders=pl.len(),
        units=pl.col("quantity").sum(),
        revenue=pl.col("revenue").sum(),
        avg_order=pl.col("revenue").mean(),
    )
    .sort("revenue", descending=True)
)

# %% q3
lazy_books = (
    pl.scan_parquet("transactions.parquet")
    .filter(pl.col("category") == "books")
    .group_by("store_id")
    .agg(revenue=pl.col("amount").sum(), transactions=pl.len())
    .sort(["revenue", "store_id"], descending=[True, False])
    .head(5)
)
plan = lazy_books.explain()
print(plan)

# %% q4
top_stores = lazy_books.collect()
