# targets: q1, q2, q3, q4, q5
# Every hop through pyarrow explicitly: pandas -> Arrow -> polars, a DuckDB connection's
# answer, an Arrow table built from pandas, pivot_table, and an Arrow table from DuckDB as
# one engine's result (rows in whatever order each engine returns them).
# %% q1
import pyarrow as pa

sales_pl = pl.from_arrow(pa.Table.from_pandas(sales, preserve_index=False))

# %% q2
con = duckdb.connect()
country_revenue = con.sql(
    """
    SELECT country, COUNT(*) AS orders, SUM(quantity * unit_price) AS revenue
    FROM sales_pl
    GROUP BY country
    ORDER BY revenue DESC
    """
).pl()

# %% q3
country_arrow = pa.Table.from_pandas(country_revenue.to_pandas(), preserve_index=False)


# %% q4
def pandas_totals():
    totals = tx.pivot_table(index="category", values="amount", aggfunc="sum")
    return totals.reset_index().rename(columns={"amount": "revenue"})


def polars_totals():
    return tx_pl.group_by("category").agg(revenue=pl.sum("amount"))


def duckdb_totals():
    return duckdb.sql(
        "SELECT category, SUM(amount) AS revenue FROM tx_arrow GROUP BY 1"
    ).to_arrow_table()


results = {"pandas": pandas_totals(), "polars": polars_totals(), "duckdb": duckdb_totals()}

# %% q5
timings = {
    "pandas": best_of(pandas_totals),
    "polars": best_of(polars_totals),
    "duckdb": best_of(duckdb_totals),
}
ratios = {
    "polars": timings["pandas"] / timings["polars"],
    "duckdb": timings["pandas"] / timings["duckdb"],
}
