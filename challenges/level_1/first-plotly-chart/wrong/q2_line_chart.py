# targets: q2
# expect: expected a chart of type bar
# %% q2
fig_category = px.line(
    category_revenue,
    x="category",
    y="revenue",
    labels={"category": "Category", "revenue": "Revenue (EUR)"},
    title="Revenue by category",
)
