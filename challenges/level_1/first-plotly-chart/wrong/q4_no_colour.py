# targets: q4
# expect: 1 trace(s); expected 4
# %% q4
fig_country = px.bar(
    country_category,
    x="country",
    y="revenue",
    labels={"country": "Country", "revenue": "Revenue (EUR)"},
    title="Revenue by country and category",
)
