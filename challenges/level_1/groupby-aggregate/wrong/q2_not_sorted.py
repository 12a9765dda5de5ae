# targets: q2
# expect: column `category`
# %% q2
revenue_by_category = orders.groupby("category")["revenue"].sum()
