# targets: q3
# expect: revenue_per_customer
# A Series of the right shape (one value per segment) with numbers guessed from a glance.
# %% q3
revenue_per_customer = pd.Series(
    {segment: 250.0 for segment in sorted(customers["segment"].unique())}
).rename_axis("segment")
