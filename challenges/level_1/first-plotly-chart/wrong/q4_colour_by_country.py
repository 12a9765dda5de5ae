# targets: q4
# expect: has 6 trace(s)
# %% q4
# Country and category swapped: bars per category, coloured by country.
fig_country = px.bar(
    country_category,
    x="category",
    y="revenue",
    color="country",
    labels={"category": "Category", "revenue": "Revenue (EUR)", "country": "Country"},
    title="Revenue by country and category",
)
