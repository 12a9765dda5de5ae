# targets: q3
# expect: `segment_spend` first differs
# %% q3
segment_spend = duckdb.sql(
    """
    SELECT c.segment, COUNT(DISTINCT s.customer_id) AS customers,
           AVG(s.quantity * s.unit_price) AS avg_spend
    FROM sales AS s
    JOIN 'customers.parquet' AS c USING (customer_id)
    GROUP BY c.segment
    ORDER BY avg_spend DESC
    """
).df()
