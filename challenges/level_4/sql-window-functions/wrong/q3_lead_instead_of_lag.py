# targets: q3
# expect: column `days_since_previous`
# %% q3
order_gaps = duckdb.sql(
    """
    SELECT
        order_id,
        customer_id,
        order_date,
        date_diff(
            'day',
            LEAD(order_date) OVER (PARTITION BY customer_id ORDER BY order_date, order_id),
            order_date
        ) AS days_since_previous
    FROM sales
    ORDER BY order_id
    """
).df()
