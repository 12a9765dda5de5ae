# targets: q4
# expect: pl_failure_cases
# The pandas failure table converted to polars instead of validating the polars orders.
# %% q4
pl_failure_cases = pl.from_pandas(failure_cases.astype(str))
