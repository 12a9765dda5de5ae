# targets: q3
# expect: deduped
# The shop's clean file passed off as the deduplicated export: other data.
# %% q3
deduped = datasets.load("retail_sales")
