# %% q1
category_2024 = duckdb.sql(
    """
    SELECT category, COUNT(*) AS orders, SUM(quantity * unit_price) AS revenue
    FROM sales
    WHERE order_date >= '2024-01-01'
    GROUP BY category
    ORDER BY revenue DESC
    """
).df()

# %% q2
customer_orders = duckdb.sql(
    """
    SELECT
        c.customer_id,
        c.name,
        c.segment,
        COUNT(s.order_id) AS orders,
        COALESCE(SUM(s.quantity * s.unit_price), 0) AS spend
    FROM 'customers.parquet' AS c
    LEFT JOIN sales AS s ON s.customer_id = c.customer_id
    GROUP BY c.customer_id, c.name, c.segment
    ORDER BY spend DESC, c.customer_id
    """
).df()

# %% q3
segment_spend = duckdb.sql(
    """
    WITH per_customer AS (
        SELECT customer_id, SUM(quantity * unit_price) AS spend
        FROM sales
        GROUP BY customer_id
    )
    SELECT c.segment, COUNT(*) AS customers, AVG(p.spend) AS avg_spend
    FROM per_customer AS p
    JOIN 'customers.parquet' AS c USING (customer_id)
    GROUP BY c.segment
    ORDER BY avg_spend DESC
    """
).df()
