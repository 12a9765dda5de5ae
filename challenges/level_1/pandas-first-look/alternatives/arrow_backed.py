# targets: q1, q2, q3
# pandas' pyarrow reader with Arrow-backed dtypes (double[pyarrow], timestamp[...][pyarrow], ...),
# a numpy integer for the count, nlargest for the top three.
# %% q1
sales = pd.read_csv(
    datasets.path("retail_sales"),
    engine="pyarrow",
    dtype_backend="pyarrow",
    parse_dates=["order_date"],
)

# %% q2
n_orders = sales["order_id"].count()

# %% q3
top_countries = sales["country"].value_counts().nlargest(3)
