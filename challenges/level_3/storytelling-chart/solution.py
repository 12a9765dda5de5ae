# %% q1
churn_rate = churn.groupby("payment_method")["churned"].mean().mul(100).sort_values(ascending=False)

# %% q2
fig = px.bar(
    churn_rate.reset_index(),
    x="payment_method",
    y="churned",
    labels={"payment_method": "Payment method", "churned": "Churn rate (%)"},
    title="Churn rate by payment method",
)

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
story.add_annotation(x=top, y=rate, text=f"{rate:.0f}% churn")
