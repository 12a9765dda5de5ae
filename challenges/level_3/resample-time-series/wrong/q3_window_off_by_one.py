# targets: q3
# expect: row 5
# %% q3
visits_7d = traffic["visits"].rolling(6).mean()
