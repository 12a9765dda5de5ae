# %% q1
monthly_running = duckdb.sql(
    """
    WITH monthly AS (
        SELECT date_trunc('month', order_date) AS month, SUM(quantity * unit_price) AS revenue
        FROM sales
        GROUP BY month
    )
    SELECT
        month,
        revenue,
        SUM(revenue) OVER (PARTITION BY year(month) ORDER BY month) AS running_revenue
    FROM monthly
    ORDER BY month
    """
).df()

# %% q2
top_customers = duckdb.sql(
    """
    WITH counts AS (
        SELECT country, customer_id, COUNT(*) AS orders
        FROM sales
        GROUP BY country, customer_id
    )
    SELECT
        country,
        customer_id,
        orders,
        RANK() OVER (PARTITION BY country ORDER BY orders DESC) AS rank
    FROM counts
    QUALIFY rank <= 3
    ORDER BY country, rank, customer_id
    """
).df()

# %% q3
order_gaps = duckdb.sql(
    """
    SELECT
        order_id,
        customer_id,
        order_date,
        date_diff(
            'day',
            LAG(order_date) OVER (PARTITION BY customer_id ORDER BY order_date, order_id),
            order_date
        ) AS days_since_previous
    FROM sales
    ORDER BY order_id
    """
).df()
