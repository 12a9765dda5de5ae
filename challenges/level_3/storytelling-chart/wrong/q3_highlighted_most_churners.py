# targets: q3
# expect: does not highlight the right bar
# %% q3
most_churners = churn.loc[churn["churned"] == 1, "payment_method"].value_counts().index[0]
rate = churn_rate[most_churners]
story = px.bar(
    churn_rate.reset_index(),
    x="payment_method",
    y="churned",
    labels={"payment_method": "Payment method", "churned": "Churn rate (%)"},
    title=f"Most churners pay by {most_churners}",
)
story.update_traces(
    marker_color=[HIGHLIGHT if m == most_churners else MUTED for m in churn_rate.index]
)
story.add_annotation(x=most_churners, y=rate, text=f"{rate:.0f}% churn")
