# targets: q1
# expect: rows; expected
# %% q1
bulk_2024 = (
    sales.filter(pl.col("order_date").dt.year() == 2024, pl.col("quantity") > 3)
    .with_columns(revenue=pl.col("quantity") * pl.col("unit_price"))
    .select("order_id", "order_date", "country", "category", "quantity", "revenue")
)
