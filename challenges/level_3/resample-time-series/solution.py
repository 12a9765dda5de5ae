# %% q1
weekly_visits = traffic["visits"].resample("W").mean()

# %% q2
monthly_signups = traffic["signups"].resample("MS").sum()

# %% q3
visits_7d = traffic["visits"].rolling(7).mean()

# %% q4
weekday_profile = (
    traffic["visits"]
    .groupby(traffic.index.day_name())
    .mean()
    .reindex(WEEKDAYS)
    .rename_axis("weekday")
)
