# targets: q2
# expect: fig
# A chart with the right titles and payment methods, but bar heights typed in.
# %% q2
fig = px.bar(
    x=list(churn_rate.index),
    y=[30.0, 22.0, 15.0, 9.0][: len(churn_rate)],
    labels={"x": "Payment method", "y": "Churn rate (%)"},
    title="Churn rate by payment method",
)
