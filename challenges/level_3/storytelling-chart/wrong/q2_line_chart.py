# targets: q2
# expect: expected a chart of type bar
# %% q2
fig = px.line(
    churn_rate.reset_index(),
    x="payment_method",
    y="churned",
    labels={"payment_method": "Payment method", "churned": "Churn rate (%)"},
    title="Churn rate by payment method",
)
