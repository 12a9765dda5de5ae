# %% q1
category_revenue = (
    sales.groupby("category")["revenue"].sum().sort_values(ascending=False).reset_index()
)

# %% q2
fig_category = px.bar(
    category_revenue,
    x="category",
    y="revenue",
    labels={"category": "Category", "revenue": "Revenue (EUR)"},
    title="Revenue by category",
)

# %% q3
country_category = sales.groupby(["country", "category"], as_index=False)["revenue"].sum()

# %% q4
fig_country = px.bar(
    country_category,
    x="country",
    y="revenue",
    color="category",
    labels={"country": "Country", "revenue": "Revenue (EUR)", "category": "Category"},
    title="Revenue by country and category",
)
