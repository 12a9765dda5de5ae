# targets: q4
# expect: customer_id
# %% q4
orders = deduped.dropna(subset=["customer_id", "country", "unit_price"])
