# targets: q3
# expect: differs
# A Series of the right shape built by hand from a glance at the table, not counted.
# %% q3
top_countries = pd.Series(
    [260, 210, 180],
    index=pd.Index(["United Kingdom", "Germany", "France"], name="country"),
    name="count",
)
