# targets: q3
# expect: must rise by at least 0.02
# %% q3
def add_features(frame):
    out = frame.copy()
    out["charges_per_month"] = out["total_charges"] / out["tenure_months"]
    out["calls_per_login"] = out["support_calls_90d"] / (out["avg_weekly_logins"] + 1)
    return out
