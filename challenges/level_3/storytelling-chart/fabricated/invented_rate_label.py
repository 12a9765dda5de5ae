# targets: q3
# expect: story
# The story chart drawn right, but its annotation gives a rate typed in from memory.
# %% q3
top, rate = churn_rate.index[0], churn_rate.iloc[0]
story = px.bar(
    churn_rate.reset_index(),
    x="payment_method",
    y="churned",
    labels={"payment_method": "Payment method", "churned": "Churn rate (%)"},
    title=f"Customers who pay by {top} churn most",
)
story.update_traces(marker_color=[HIGHLIGHT if m == top else MUTED for m in churn_rate.index])
story.add_annotation(x=top, y=rate, text="42% churn")
