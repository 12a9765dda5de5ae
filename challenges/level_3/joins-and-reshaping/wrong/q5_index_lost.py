# targets: q5
# expect: missing column(s) `month`
# %% q5
monthly_long = monthly.melt(var_name="category", value_name="revenue")
