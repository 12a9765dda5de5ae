# targets: q3
# expect: order_gaps
# Every gap set to a typical 30 days instead of measured from the previous order.
# %% q3
order_gaps = duckdb.sql(
    """
    SELECT order_id, customer_id, order_date,
           CASE WHEN row_number() OVER (PARTITION BY customer_id ORDER BY order_date, order_id) = 1
                THEN NULL ELSE 30 END AS days_since_previous
    FROM sales
    ORDER BY order_id
    """
).df()
