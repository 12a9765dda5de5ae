# %% q1
sales_pl = pl.from_pandas(sales)

# %% q2
country_revenue = duckdb.sql(
    """
    SELECT country, COUNT(*) AS orders, SUM(quantity * unit_price) AS revenue
    FROM sales_pl
    GROUP BY country
    ORDER BY revenue DESC
    """
).pl()

# %% q3
country_arrow = country_revenue.to_arrow()


# %% q4
def revenue_pandas():
    totals = tx.groupby("category", as_index=False)["amount"].sum()
    return totals.rename(columns={"amount": "revenue"})


def revenue_polars():
    return tx_pl.group_by("category").agg(revenue=pl.col("amount").sum())


def revenue_duckdb():
    return duckdb.sql(
        "SELECT category, SUM(amount) AS revenue FROM tx_arrow GROUP BY category"
    ).pl()


results = {"pandas": revenue_pandas(), "polars": revenue_polars(), "duckdb": revenue_duckdb()}

# %% q5
timings = {
    "pandas": best_of(revenue_pandas),
    "polars": best_of(revenue_polars),
    "duckdb": best_of(revenue_duckdb),
}
ratios = {engine: timings["pandas"] / timings[engine] for engine in ("polars", "duckdb")}
print(timings, ratios)
