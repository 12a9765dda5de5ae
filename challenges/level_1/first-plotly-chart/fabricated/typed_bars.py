# targets: q2
# expect: fig_category
# Bars with the right categories and titles, but heights typed in rather than read from the table.
# %% q2
fig_category = px.bar(
    x=list(category_revenue["category"]),
    y=[9000.0 - 1000.0 * i for i in range(len(category_revenue))],
    labels={"x": "Category", "y": "Revenue (EUR)"},
    title="Revenue by category",
)
