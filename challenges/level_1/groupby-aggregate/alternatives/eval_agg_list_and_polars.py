# targets: q1, q2, q3, q4
# DataFrame.eval for the new column, agg with a list of functions renamed afterwards, and the
# best sellers computed with polars and handed back as a pandas Series.
# %% q1
orders = sales.eval("revenue = quantity * unit_price")

# %% q2
revenue_by_category = (
    orders.groupby("category").agg(total=("revenue", "sum"))["total"].sort_values(ascending=False)
)

# %% q3
country_summary = (
    orders.groupby("country")["revenue"]
    .agg(["count", "sum", "mean"])
    .rename(columns={"count": "n_orders", "sum": "revenue", "mean": "avg_order_value"})
    .sort_values("revenue", ascending=False)
)

# %% q4
import polars as pl

units = (
    pl.from_pandas(orders[["product", "quantity"]])
    .group_by("product")
    .agg(pl.col("quantity").sum())
    .sort("quantity", descending=True)
    .head(3)
)
top_products = units.to_pandas().set_index("product")["quantity"]
