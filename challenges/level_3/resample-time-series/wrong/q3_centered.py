# targets: q3
# expect: row 3
# %% q3
visits_7d = traffic["visits"].rolling(7, center=True).mean()
