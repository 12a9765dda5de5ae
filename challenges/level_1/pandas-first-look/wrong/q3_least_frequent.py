# targets: q3
# expect: first differs
# %% q3
top_countries = sales["country"].value_counts(ascending=True).head(3)
