# targets: q1
# expect: first differs at row 0
# %% q1
category_revenue = sales.groupby("category")["revenue"].sum().sort_values().reset_index()
