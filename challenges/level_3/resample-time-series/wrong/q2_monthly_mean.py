# targets: q2
# expect: column `signups`
# %% q2
monthly_signups = traffic["signups"].resample("MS").mean()
