# targets: q1, q2, q3, q4
# Named aggregation with as_index=False (row labels left as they fall after sorting), axis
# titles set with update_layout/update_xaxes, a pivot_table for the long table.
# %% q1
category_revenue = (
    sales.groupby("category", as_index=False)
    .agg(revenue=("revenue", "sum"))
    .sort_values("revenue", ascending=False)
)

# %% q2
fig_category = px.bar(category_revenue, x="category", y="revenue", title="Revenue by category")
fig_category.update_layout(xaxis_title="Category", yaxis_title="Revenue (EUR)")

# %% q3
country_category = sales.pivot_table(
    index=["country", "category"], values="revenue", aggfunc="sum"
).reset_index()

# %% q4
fig_country = px.bar(
    country_category, x="country", y="revenue", color="category", title="Where revenue comes from"
)
fig_country.update_xaxes(title_text="Country")
fig_country.update_yaxes(title_text="Revenue (EUR)")
