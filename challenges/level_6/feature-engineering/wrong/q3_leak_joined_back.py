# targets: q3
# expect: too good
# %% q3
def add_features(frame):
    out = frame.copy()
    out["month_to_month"] = (out["contract"] == "month-to-month").astype(int)
    # Customers who asked to cancel are at risk, surely: look the request up in the full table.
    request = churn.loc[frame.index, "days_since_cancellation_request"]
    out["asked_to_cancel"] = request.notna().astype(int)
    return out
