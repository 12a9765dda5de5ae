# targets: q1
# expect: DuckDB relation
# %% q1
category_2024 = duckdb.sql(
    """
    SELECT category, COUNT(*) AS orders, SUM(quantity * unit_price) AS revenue
    FROM sales
    WHERE order_date >= '2024-01-01'
    GROUP BY category
    ORDER BY revenue DESC
    """
)
