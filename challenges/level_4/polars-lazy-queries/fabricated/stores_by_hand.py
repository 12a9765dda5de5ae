# targets: q4
# expect: top_stores
# A result of the right shape typed in rather than collected from the query.
# %% q4
top_stores = pl.DataFrame(
    {
        "store_id": [3, 7, 1, 12, 5],
        "revenue": [52000.0, 51000.0, 50500.0, 50000.0, 49000.0],
        "transactions": [1200, 1180, 1170, 1150, 1140],
    },
    schema_overrides={"transactions": pl.UInt32},
)
