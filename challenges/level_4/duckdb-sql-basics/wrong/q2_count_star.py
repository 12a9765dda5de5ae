# targets: q2
# expect: column `orders`
# %% q2
customer_orders = duckdb.sql(
    """
    SELECT
        c.customer_id,
        c.name,
        c.segment,
        COUNT(*) AS orders,
        COALESCE(SUM(s.quantity * s.unit_price), 0) AS spend
    FROM 'customers.parquet' AS c
    LEFT JOIN sales AS s ON s.customer_id = c.customer_id
    GROUP BY c.customer_id, c.name, c.segment
    ORDER BY spend DESC, c.customer_id
    """
).df()
