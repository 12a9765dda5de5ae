# targets: q4
# expect: name the total `revenue`
# The pandas function forgets to rename the summed column: the table says `amount`.
# %% q4
def revenue_pandas():
    return tx.groupby("category", as_index=False)["amount"].sum()


def revenue_polars():
    return tx_pl.group_by("category").agg(revenue=pl.col("amount").sum())


def revenue_duckdb():
    return duckdb.sql(
        "SELECT category, SUM(amount) AS revenue FROM tx_arrow GROUP BY category"
    ).pl()


results = {"pandas": revenue_pandas(), "polars": revenue_polars(), "duckdb": revenue_duckdb()}
