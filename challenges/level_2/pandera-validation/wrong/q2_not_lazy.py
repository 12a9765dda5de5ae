# targets: q2
# expect: lazy=True
# %% q2
try:
    sales_schema.validate(typed)
    failure_cases = None
except pa.errors.SchemaError as err:
    failure_cases = err.failure_cases
