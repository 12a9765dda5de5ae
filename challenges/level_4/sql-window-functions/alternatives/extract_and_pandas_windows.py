# targets: q1, q2, q3
# The running total with EXTRACT and a RANGE frame, then the ranking and the gaps with pandas'
# own window tools: rank(method="min") and a grouped shift.
# %% q1
monthly_running = duckdb.sql(
    """
    WITH by_month AS (
        SELECT date_trunc('month', order_date) AS month, sum(quantity * unit_price) AS revenue
        FROM sales
        GROUP BY ALL
    )
    SELECT month, revenue,
           sum(revenue) OVER (
               PARTITION BY extract(year FROM month)
               ORDER BY month
               RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
           ) AS running_revenue
    FROM by_month
    ORDER BY month
    """
).df()

# %% q2
counts = sales.groupby(["country", "customer_id"]).size().rename("orders").reset_index()
counts["rank"] = (
    counts.groupby("country")["orders"].rank(method="min", ascending=False).astype("int64")
)
top_customers = (
    counts[counts["rank"] <= 3]
    .sort_values(["country", "rank", "customer_id"])
    .reset_index(drop=True)
)

# %% q3
in_order = sales.sort_values(["customer_id", "order_date", "order_id"])
previous = in_order.groupby("customer_id")["order_date"].shift()
gaps = in_order.assign(days_since_previous=(in_order["order_date"] - previous).dt.days)
order_gaps = (
    gaps[["order_id", "customer_id", "order_date", "days_since_previous"]]
    .sort_values("order_id")
    .reset_index(drop=True)
)
