# targets: q2
# expect: column `date`
# %% q2
monthly_signups = traffic["signups"].resample("ME").sum()
