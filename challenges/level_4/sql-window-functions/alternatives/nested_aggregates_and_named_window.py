# targets: q1, q2, q3
# A window over an aggregate in one SELECT with an explicit ROWS frame, the rank filtered in an
# outer query instead of QUALIFY, and a named WINDOW with datediff.
# %% q1
monthly_running = duckdb.sql(
    """
    SELECT
        date_trunc('month', order_date) AS month,
        sum(quantity * unit_price) AS revenue,
        sum(sum(quantity * unit_price)) OVER (
            PARTITION BY date_part('year', date_trunc('month', order_date))
            ORDER BY date_trunc('month', order_date)
            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
        ) AS running_revenue
    FROM sales
    GROUP BY 1
    ORDER BY 1
    """
).df()

# %% q2
top_customers = duckdb.sql(
    """
    SELECT * FROM (
        SELECT country, customer_id, count(*) AS orders,
               rank() OVER (PARTITION BY country ORDER BY count(*) DESC) AS rank
        FROM sales
        GROUP BY country, customer_id
    )
    WHERE rank <= 3
    ORDER BY country, rank, customer_id
    """
).df()

# %% q3
order_gaps = duckdb.sql(
    """
    SELECT order_id, customer_id, order_date,
           datediff('day', lag(order_date) OVER w, order_date) AS days_since_previous
    FROM sales
    WINDOW w AS (PARTITION BY customer_id ORDER BY order_date, order_id)
    ORDER BY order_id
    """
).df()
