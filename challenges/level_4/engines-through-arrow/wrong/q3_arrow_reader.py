# targets: q3
# expect: RecordBatchReader
# %% q3
country_arrow = duckdb.sql(
    """
    SELECT country, COUNT(*) AS orders, SUM(quantity * unit_price) AS revenue
    FROM sales_pl
    GROUP BY country
    ORDER BY revenue DESC
    """
).arrow()
