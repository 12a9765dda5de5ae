# targets: q2
# expect: total revenue of each category
# %% q2
# Plots the mean revenue per order instead of the total.
mean_revenue = sales.groupby("category", as_index=False)["revenue"].mean()
fig_category = px.bar(
    mean_revenue,
    x="category",
    y="revenue",
    labels={"category": "Category", "revenue": "Revenue (EUR)"},
    title="Revenue by category",
)
