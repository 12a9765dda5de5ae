# targets: q2
# expect: first differs at row 1, column `category`
# %% q2
revenue_by_category = orders.groupby("category")["revenue"].sum()
