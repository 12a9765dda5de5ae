# targets: q1, q2, q3
# Dates converted after reading, the count from .shape, the top three from groupby().size().
# %% q1
sales = pd.read_csv(datasets.path("retail_sales"))
sales["order_date"] = pd.to_datetime(sales["order_date"], format="%Y-%m-%d")

# %% q2
n_orders = sales.shape[0]

# %% q3
top_countries = sales.groupby("country").size().sort_values(ascending=False).head(3)
