# targets: q4
# expect: too low
# %% q4
def revenue_pandas():
    totals = tx.groupby("category", as_index=False)["amount"].sum()
    return totals.rename(columns={"amount": "revenue"})


def revenue_polars():
    return tx_pl.group_by("category").agg(revenue=pl.col("amount").sum())


def revenue_duckdb():
    return duckdb.sql(
        "SELECT category, AVG(amount) AS revenue FROM tx_arrow GROUP BY category"
    ).pl()


results = {"pandas": revenue_pandas(), "polars": revenue_polars(), "duckdb": revenue_duckdb()}
