# targets: q5
# expect: your own timings
# %% q5
timings = {
    "pandas": best_of(revenue_pandas),
    "polars": best_of(revenue_polars),
    "duckdb": best_of(revenue_duckdb),
}
ratios = {"polars": 10.0, "duckdb": 20.0}
