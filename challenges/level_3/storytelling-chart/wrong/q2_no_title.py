# targets: q2
# expect: has no title
# %% q2
fig = px.bar(
    churn_rate.reset_index(),
    x="payment_method",
    y="churned",
    labels={"payment_method": "Payment method", "churned": "Churn rate (%)"},
)
