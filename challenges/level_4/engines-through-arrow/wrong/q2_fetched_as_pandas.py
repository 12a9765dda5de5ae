# targets: q2
# expect: expected a polars DataFrame
# %% q2
country_revenue = duckdb.sql(
    """
    SELECT country, COUNT(*) AS orders, SUM(quantity * unit_price) AS revenue
    FROM sales_pl
    GROUP BY country
    ORDER BY revenue DESC
    """
).df()
