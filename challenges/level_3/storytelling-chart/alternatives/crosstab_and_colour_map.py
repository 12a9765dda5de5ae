# targets: q1, q2, q3
# Row shares from crosstab, axis titles set after drawing, and the highlight done the plotly
# express way: a colour column mapped to HIGHLIGHT and MUTED (one trace per colour), no legend.
# %% q1
import numpy as np
import pandas as pd

shares = pd.crosstab(churn["payment_method"], churn["churned"], normalize="index")
churn_rate = (shares[1] * 100).sort_values(ascending=False)

# %% q2
fig = px.bar(
    churn_rate.rename("rate").reset_index(), x="payment_method", y="rate", title="Churn by payment"
)
fig.update_xaxes(title="Payment method")
fig.update_yaxes(title="Churn rate (%)")

# %% q3
frame = churn_rate.rename("rate").reset_index()
frame["emphasis"] = np.where(frame.index == 0, "top", "rest")
top, rate = frame.loc[0, "payment_method"], frame.loc[0, "rate"]
story = px.bar(
    frame,
    x="payment_method",
    y="rate",
    color="emphasis",
    color_discrete_map={"top": HIGHLIGHT, "rest": MUTED},
    labels={"payment_method": "Payment method", "rate": "Churn rate (%)"},
    title=f"Customers paying by {top} churn the most",
)
story.update_layout(showlegend=False)
story.add_annotation(x=top, y=rate, text=f"{rate:.0f}% churned", yshift=12, showarrow=False)
