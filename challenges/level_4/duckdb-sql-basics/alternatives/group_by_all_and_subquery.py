# targets: q1, q2, q3
# year() and GROUP BY ALL with ORDER BY position, totals aggregated in a subquery before a LEFT
# JOIN with read_parquet, and two CTEs with an INTEGER count of buyers.
# %% q1
category_2024 = duckdb.sql(
    """
    SELECT category, count(order_id) AS orders, sum(quantity * unit_price) AS revenue
    FROM sales
    WHERE year(order_date) = 2024
    GROUP BY ALL
    ORDER BY 3 DESC
    """
).df()

# %% q2
customer_orders = duckdb.sql(
    """
    SELECT c.customer_id, c.name, c.segment,
           coalesce(t.orders, 0) AS orders,
           coalesce(t.spend, 0) AS spend
    FROM read_parquet('customers.parquet') AS c
    LEFT JOIN (
        SELECT customer_id, count(*) AS orders, sum(quantity * unit_price) AS spend
        FROM sales
        GROUP BY customer_id
    ) AS t ON t.customer_id = c.customer_id
    ORDER BY spend DESC, c.customer_id ASC
    """
).df()

# %% q3
segment_spend = duckdb.sql(
    """
    WITH totals AS (
        SELECT customer_id, sum(quantity * unit_price) AS spend
        FROM sales
        GROUP BY customer_id
    ),
    known AS (
        SELECT c.segment, t.spend
        FROM totals AS t
        INNER JOIN read_parquet('customers.parquet') AS c ON c.customer_id = t.customer_id
    )
    SELECT segment, count(*)::INTEGER AS customers, avg(spend) AS avg_spend
    FROM known
    GROUP BY segment
    ORDER BY avg_spend DESC
    """
).df()
