# targets: q1, q2, q3, q4, q5
# The polars constructor on a pandas frame, SQL with GROUP BY ALL and an ordinal ORDER BY, the
# Arrow table fetched straight from DuckDB, named aggregations, a lazy polars query collected
# inside its function, and the timings taken in a loop.
# %% q1
sales_pl = pl.DataFrame(sales)

# %% q2
country_query = """
    SELECT country, count(order_id) AS orders, sum(quantity * unit_price) AS revenue
    FROM sales_pl
    GROUP BY ALL
    ORDER BY 3 DESC
"""
country_revenue = duckdb.sql(country_query).pl()

# %% q3
country_arrow = duckdb.sql(country_query).to_arrow_table()


# %% q4
def revenue_pandas():
    return tx.groupby("category").agg(revenue=("amount", "sum")).reset_index()


def revenue_polars():
    return tx_pl.lazy().group_by("category").agg(pl.col("amount").sum().alias("revenue")).collect()


def revenue_duckdb():
    return duckdb.sql(
        "SELECT category, sum(amount) AS revenue FROM tx_arrow GROUP BY category"
    ).df()


engines = {"pandas": revenue_pandas, "polars": revenue_polars, "duckdb": revenue_duckdb}
results = {name: run() for name, run in engines.items()}

# %% q5
timings = {}
for name, run in engines.items():
    timings[name] = best_of(run)
ratios = {name: timings["pandas"] / timings[name] for name in ("polars", "duckdb")}
