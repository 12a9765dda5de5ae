# targets: q2
# expect: rows; expected
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
        ROW_NUMBER() OVER (PARTITION BY country ORDER BY orders DESC) AS rank
    FROM counts
    QUALIFY rank <= 3
    ORDER BY country, rank, customer_id
    """
).df()
