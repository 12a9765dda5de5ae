# targets: q1, q2, q3
# DuckDB's relational API for the filter and aggregate, a connection with a RIGHT JOIN from the
# orders and ifnull, and a CTE joined with USING whose average is written as a sum over a count.
# %% q1
category_2024 = (
    duckdb.sql("FROM sales")
    .filter("order_date >= DATE '2024-01-01' AND order_date < DATE '2025-01-01'")
    .aggregate("category, count(*) AS orders, sum(quantity * unit_price) AS revenue", "category")
    .order("revenue DESC")
    .fetchdf()
)

# %% q2
con = duckdb.connect()
con.register("orders_df", sales)
customer_orders = con.execute(
    """
    SELECT c.customer_id, c.name, c.segment,
           count(o.order_id) AS orders,
           ifnull(sum(o.quantity * o.unit_price), 0) AS spend
    FROM orders_df AS o
    RIGHT JOIN 'customers.parquet' AS c ON o.customer_id = c.customer_id
    GROUP BY c.customer_id, c.name, c.segment
    ORDER BY spend DESC, c.customer_id
    """
).fetch_df()
con.close()

# %% q3
segment_spend = duckdb.sql(
    """
    WITH per_buyer AS (
        SELECT customer_id, sum(quantity * unit_price) AS spend FROM sales GROUP BY customer_id
    )
    SELECT segment, count(DISTINCT customer_id) AS customers, sum(spend) / count(*) AS avg_spend
    FROM per_buyer JOIN 'customers.parquet' USING (customer_id)
    GROUP BY segment
    ORDER BY avg_spend DESC
    """
).to_df()
