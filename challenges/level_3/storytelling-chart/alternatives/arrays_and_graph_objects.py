# targets: q1, q2, q3
# The rate as churners over customers, a bar chart from plain arrays, and the story built with
# graph_objects: one trace, a colour per bar, layout titles and an arrow annotation.
# %% q1
churn_rate = (
    churn.groupby("payment_method")["churned"]
    .agg(lambda s: 100 * s.sum() / len(s))
    .sort_values(ascending=False)
)

# %% q2
fig = px.bar(
    x=churn_rate.index,
    y=churn_rate.values,
    labels={"x": "Payment method", "y": "Churn rate (%)"},
    title="Churn rate differs by payment method",
)

# %% q3
import plotly.graph_objects as go

top, rate = churn_rate.index[0], churn_rate.iloc[0]
story = go.Figure(
    go.Bar(
        x=list(churn_rate.index),
        y=list(churn_rate.values),
        marker_color=[HIGHLIGHT if method == top else MUTED for method in churn_rate.index],
    )
)
story.update_layout(
    title=f"{top} payers are the most likely to leave",
    xaxis_title="Payment method",
    yaxis_title="Churn rate (%)",
)
story.add_annotation(x=top, y=rate, text=f"{rate:.1f}%", showarrow=True)
