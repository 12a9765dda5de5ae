# targets: q4
# expect: 'Friday'
# %% q4
weekday_profile = traffic["visits"].groupby(traffic.index.day_name()).mean().rename_axis("weekday")
