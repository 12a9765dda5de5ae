# targets: q3
# expect: country_summary
# A summary of the right shape typed in from a glance at the data, not computed.
# %% q3
country_summary = pd.DataFrame(
    {
        "n_orders": [300, 250, 200, 150, 100, 50],
        "revenue": [30000.0, 25000.0, 20000.0, 15000.0, 10000.0, 5000.0],
        "avg_order_value": [100.0] * 6,
    },
    index=pd.Index(
        ["United Kingdom", "Germany", "France", "Spain", "Netherlands", "Ireland"], name="country"
    ),
)
