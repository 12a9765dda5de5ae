# targets: q1
# expect: column `running_revenue`
# %% q1
monthly_running = duckdb.sql(
    """
    WITH monthly AS (
        SELECT date_trunc('month', order_date) AS month, SUM(quantity * unit_price) AS revenue
        FROM sales
        GROUP BY month
    )
    SELECT month, revenue, SUM(revenue) OVER (ORDER BY month) AS running_revenue
    FROM monthly
    ORDER BY month
    """
).df()
