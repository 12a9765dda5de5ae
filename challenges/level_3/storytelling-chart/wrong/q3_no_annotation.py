# targets: q3
# expect: has no annotation
# %% q3
top = churn_rate.index[0]
rate = churn_rate.iloc[0]
story = px.bar(
    churn_rate.reset_index(),
    x="payment_method",
    y="churned",
    labels={"payment_method": "Payment method", "churned": "Churn rate (%)"},
    title=f"Customers who pay by {top} churn most: {rate:.0f}% of them left",
)
story.update_traces(marker_color=[HIGHLIGHT if m == top else MUTED for m in churn_rate.index])
