# targets: q4
# expect: results
# Tables of the right shape with totals typed in, returned by functions that compute nothing.
# %% q4
import pandas as pd

CATEGORIES = sorted(tx["category"].unique())


def revenue_pandas():
    return pd.DataFrame({"category": CATEGORIES, "revenue": [1_000_000.0] * len(CATEGORIES)})


def revenue_polars():
    return pl.from_pandas(revenue_pandas())


def revenue_duckdb():
    return revenue_pandas()


results = {"pandas": revenue_pandas(), "polars": revenue_polars(), "duckdb": revenue_duckdb()}
