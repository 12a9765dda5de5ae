# targets: q3
# expect: row 0
# %% q3
visits_7d = traffic["visits"].rolling(7, min_periods=1).mean()
