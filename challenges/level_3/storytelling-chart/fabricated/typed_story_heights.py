# targets: q3
# expect: not its churn rate
# Highlight, title and annotation right, but the bars drawn from heights typed in.
# %% q3
top, rate = churn_rate.index[0], churn_rate.iloc[0]
story = px.bar(
    x=list(churn_rate.index),
    y=[rate, 20.0, 20.0, 20.0][: len(churn_rate)],
    labels={"x": "Payment method", "y": "Churn rate (%)"},
    title=f"Customers who pay by {top} churn most",
)
story.update_traces(marker_color=[HIGHLIGHT if m == top else MUTED for m in churn_rate.index])
story.add_annotation(x=top, y=rate, text=f"{rate:.0f}% churn")
