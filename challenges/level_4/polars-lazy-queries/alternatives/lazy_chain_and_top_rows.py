# targets: q1, q2, q3, q4
# A lazy chain collected at the end with a date range and select-time arithmetic, count() and
# a ratio for the average, limit() instead of head(), and the streaming engine to run it.
# %% q1
import datetime as dt

bulk_2024 = (
    sales.lazy()
    .filter(
        pl.col("order_date").is_between(dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        pl.col("quantity").ge(3),
    )
    .select(
        "order_id",
        "order_date",
        "country",
        "category",
        "quantity",
        (pl.col("quantity") * pl.col("unit_price")).alias("revenue"),
    )
    .collect()
)

# %% q2
country_summary = (
    sales.group_by("country")
    .agg(
        orders=pl.col("order_id").count(),
        units=pl.sum("quantity"),
        revenue=(pl.col("quantity") * pl.col("unit_price")).sum(),
    )
    .with_columns(avg_order=pl.col("revenue") / pl.col("orders"))
    .sort("revenue", descending=True)
)

# %% q3
lazy_books = (
    pl.scan_parquet("transactions.parquet")
    .filter(pl.col("category").eq("books"))
    .group_by("store_id")
    .agg(pl.col("amount").sum().alias("revenue"), pl.len().alias("transactions"))
    .sort("revenue", "store_id", descending=[True, False])
    .limit(5)
)
plan = lazy_books.explain(optimized=True)

# %% q4
top_stores = lazy_books.collect(engine="streaming")
