# targets: q1
# expect: still a pandas object
# %% q1
sales_pl = sales.convert_dtypes(dtype_backend="pyarrow")
