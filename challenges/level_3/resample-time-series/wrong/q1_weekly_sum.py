# targets: q1
# expect: first differs at row 0, column `visits`
# %% q1
weekly_visits = traffic["visits"].resample("W").sum()
