# targets: q5
# expect: inverted
# %% q5
timings = {
    "pandas": best_of(revenue_pandas),
    "polars": best_of(revenue_polars),
    "duckdb": best_of(revenue_duckdb),
}
ratios = {engine: timings[engine] / timings["pandas"] for engine in ("polars", "duckdb")}
