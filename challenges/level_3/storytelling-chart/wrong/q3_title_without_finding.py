# targets: q3
# expect: does not state the finding
# %% q3
top = churn_rate.index[0]
rate = churn_rate.iloc[0]
story = px.bar(
    churn_rate.reset_index(),
    x="payment_method",
    y="churned",
    labels={"payment_method": "Payment method", "churned": "Churn rate (%)"},
    title="Churn rate by payment method",
)
story.update_traces(marker_color=[HIGHLIGHT if m == top else MUTED for m in churn_rate.index])
story.add_annotation(x=top, y=rate, text=f"{rate:.0f}% churn")
