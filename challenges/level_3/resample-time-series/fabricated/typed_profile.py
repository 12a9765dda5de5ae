# targets: q4
# expect: weekday_profile
# A weekly profile of the right shape typed in from a glance at a chart.
# %% q4
weekday_profile = pd.Series(
    [1400.0, 1450.0, 1420.0, 1380.0, 1300.0, 1000.0, 950.0],
    index=pd.Index(WEEKDAYS, name="weekday"),
    name="visits",
)
