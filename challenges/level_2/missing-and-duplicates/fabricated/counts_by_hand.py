# targets: q1
# expect: missing_counts
# Counts of the right shape typed in from a glance at messy.info(), not counted.
# %% q1
missing_counts = pd.Series({"unit_price": 40, "customer_id": 30, "country": 20, "email": 10})
