# targets: q3
# expect: too good
# A feature that looks the answer up: each customer's row is matched, by its own columns, to
# the full table, whose cancellation request (known only after a customer leaves) is read back.
# %% q3
everyone = datasets.load("churn")
row_key = ["age", "tenure_months", "monthly_charges", "total_charges"]
requested = {
    tuple(row[row_key]): row["days_since_cancellation_request"] for _, row in everyone.iterrows()
}


def add_features(frame):
    out = frame.copy()
    out["month_to_month"] = (out["contract"] == "month-to-month").astype(int)
    found = [requested.get(tuple(row[row_key])) for _, row in frame.iterrows()]
    out["asked_to_cancel"] = [int(value == value and value is not None) for value in found]
    return out
