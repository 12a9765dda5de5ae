# %% q1
sales = pd.read_csv(datasets.path("retail_sales"), parse_dates=["order_date"])

# %% q2
n_orders = len(sales)

# %% q3
top_countries = sales["country"].value_counts().head(3)
