# targets: q2
# expect: bulk_orders
# The orders of the messy copy of the file, filtered the right way: other data.
# %% q2
other = pd.read_csv(datasets.path("retail_sales_messy"))
bulk_orders = other[pd.to_numeric(other["quantity"], errors="coerce") >= 5]
