# targets: q2
# expect: column `avg_order`
# %% q2
country_summary = (
    sales.with_columns(revenue=pl.col("quantity") * pl.col("unit_price"))
    .group_by("country")
    .agg(
        orders=pl.len(),
        units=pl.col("quantity").sum(),
        revenue=pl.col("revenue").sum(),
        avg_order=pl.col("unit_price").mean(),
    )
    .sort("revenue", descending=True)
)
