# targets: q1
# expect: sales_schema
# A schema inferred from the clean table instead of written from the rules: it accepts `clean`
# by construction but knows nothing of the six countries or the e-mail pattern.
# %% q1
sales_schema = pa.infer_schema(clean)
