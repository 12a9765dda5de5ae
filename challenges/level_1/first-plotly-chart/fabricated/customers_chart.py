# targets: q4
# expect: fig_country
# The worked example's customer counts drawn with the task's titles: a chart of other data.
# %% q4
fig_country = px.bar(
    by_country_segment,
    x="country",
    y="size",
    color="segment",
    labels={"country": "Country", "size": "Revenue (EUR)", "segment": "Category"},
    title="Revenue by country and category",
)
