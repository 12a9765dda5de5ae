# targets: q1, q2, q3, q4
# Week bins spelled out (closed and labelled on the right), month-end bins relabelled to the
# first day, a rolling sum divided by 7, and an ordered categorical of weekday names.
# %% q1
weekly_visits = traffic["visits"].resample("W-SUN", closed="right", label="right").mean()

# %% q2
month_end = traffic["signups"].resample("ME").sum()
monthly_signups = month_end.set_axis(month_end.index.to_period("M").to_timestamp())

# %% q3
visits_7d = traffic["visits"].rolling(window=7, min_periods=7).sum() / 7

# %% q4
day = pd.Categorical(traffic.index.day_name(), categories=WEEKDAYS, ordered=True)
weekday_profile = traffic["visits"].groupby(day, observed=False).mean().rename_axis("weekday")
