# targets: q2
# expect: first differs at row
# %% q2
revenue_by_category = orders.groupby("category")["revenue"].mean().sort_values(ascending=False)
