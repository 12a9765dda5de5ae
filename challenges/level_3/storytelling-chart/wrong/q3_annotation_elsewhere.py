# targets: q3
# expect: not at the highlighted bar
# The rate of the top bar written on the last bar of the chart.
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
story.add_annotation(x=churn_rate.index[-1], y=churn_rate.iloc[-1], text=f"{rate:.0f}% churn")
