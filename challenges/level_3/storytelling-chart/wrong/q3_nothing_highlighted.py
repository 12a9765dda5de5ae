# targets: q3
# expect: all bars share one colour
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
story.add_annotation(x=top, y=rate, text=f"{rate:.0f}% churn")
