# targets: q3
# expect: pandera.polars
# %% q3
sales_schema_pl = sales_schema
