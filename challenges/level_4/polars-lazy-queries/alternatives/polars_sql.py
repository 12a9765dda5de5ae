# targets: q1, q2, q3, q4
# The same answers written in Polars' SQL: DataFrame.sql for the eager ones, a lazy
# SQLContext over scan_parquet for the query whose plan is read, collect_all to run it.
# %% q1
bulk_2024 = sales.sql(
    """
    SELECT order_id, order_date, country, category, quantity, quantity * unit_price AS revenue
    FROM self
    WHERE EXTRACT(year FROM order_date) = 2024 AND quantity >= 3
    """
)

# %% q2
country_summary = sales.sql(
    """
    SELECT country,
           COUNT(*) AS orders,
           SUM(quantity) AS units,
           SUM(quantity * unit_price) AS revenue,
           AVG(quantity * unit_price) AS avg_order
    FROM self
    GROUP BY country
    ORDER BY revenue DESC
    """
)

# %% q3
context = pl.SQLContext(tx=pl.scan_parquet("transactions.parquet"))
lazy_books = context.execute(
    """
    SELECT store_id, SUM(amount) AS revenue, COUNT(*) AS transactions
    FROM tx
    WHERE category = 'books'
    GROUP BY store_id
    ORDER BY revenue DESC, store_id ASC
    LIMIT 5
    """
)
plan = lazy_books.explain()

# %% q4
(top_stores,) = pl.collect_all([lazy_books])
