# targets: q2
# expect: y-axis title
# %% q2
fig_category = px.bar(category_revenue, x="category", y="revenue", title="Revenue by category")
