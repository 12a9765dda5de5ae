# targets: q2
# expect: no title
# %% q2
fig_category = px.bar(
    category_revenue,
    x="category",
    y="revenue",
    labels={"category": "Category", "revenue": "Revenue (EUR)"},
)
