# targets: q1, q2, q3, q4
# pd.Grouper for the weeks, monthly periods turned back into first days, a time-based "7D"
# window that needs 7 values, and weekday numbers renamed to names.
# %% q1
weekly_visits = traffic["visits"].groupby(pd.Grouper(freq="W-SUN")).mean()

# %% q2
monthly_signups = traffic["signups"].groupby(traffic.index.to_period("M")).sum().to_timestamp()

# %% q3
visits_7d = traffic["visits"].rolling("7D", min_periods=7).mean()

# %% q4
weekday_profile = (
    traffic.groupby(traffic.index.dayofweek)["visits"]
    .mean()
    .rename(index=dict(enumerate(WEEKDAYS)))
    .rename_axis("weekday")
)
