# %% q1
missing = messy.isna().sum()
missing_counts = missing[missing > 0].sort_values(ascending=False)

# %% q2
duplicate_rows = messy[messy.duplicated(keep=False)]

# %% q3
deduped = messy.drop_duplicates()

# %% q4
orders = deduped.dropna(subset=["customer_id", "country", "unit_price"])
orders = orders.assign(customer_id=orders["customer_id"].astype("int64"))
