# targets: q3
# expect: country_clean
# The countries of the clean file passed off as the cleaned messy column: other data.
# %% q3
country_clean = datasets.load("retail_sales")["country"].reindex(messy.index)
