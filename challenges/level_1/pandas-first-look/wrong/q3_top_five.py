# targets: q3
# expect: 5 rows
# %% q3
top_countries = sales["country"].value_counts().head(5)
