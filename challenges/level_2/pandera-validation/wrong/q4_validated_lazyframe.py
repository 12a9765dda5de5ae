# targets: q4
# expect: LazyFrame
# %% q4
try:
    sales_schema_pl.validate(typed_lazy, lazy=True)
    pl_failure_cases = None
except pap.errors.SchemaErrors as err:
    pl_failure_cases = err.failure_cases
