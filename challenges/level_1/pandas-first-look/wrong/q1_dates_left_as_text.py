# targets: q1
# expect: order_date
# %% q1
sales = pd.read_csv(datasets.path("retail_sales"))
