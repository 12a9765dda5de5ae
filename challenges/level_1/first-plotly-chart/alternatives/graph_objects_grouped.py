# targets: q1, q2, q3, q4
# A sorted reset_index with ignore_index, one colour given explicitly, rows sorted by revenue
# (the task names no order), and the coloured chart built trace by trace with graph_objects,
# grouped side by side.
# %% q1
category_revenue = (
    sales.groupby("category")["revenue"]
    .sum()
    .reset_index()
    .sort_values("revenue", ascending=False, ignore_index=True)
)

# %% q2
fig_category = px.bar(
    category_revenue,
    x="category",
    y="revenue",
    labels={"category": "Category", "revenue": "Revenue (EUR)"},
    title="Which categories earn most",
    color_discrete_sequence=["teal"],
)

# %% q3
country_category = (
    sales.groupby(["country", "category"])["revenue"].sum().reset_index().sort_values("revenue")
)

# %% q4
import plotly.graph_objects as go

fig_country = go.Figure()
for category, part in country_category.groupby("category"):
    fig_country.add_trace(go.Bar(x=part["country"], y=part["revenue"], name=category))
fig_country.update_layout(
    barmode="group",
    title="Revenue by country and category",
    xaxis_title="Country",
    yaxis_title="Revenue (EUR)",
    legend_title_text="Category",
)
