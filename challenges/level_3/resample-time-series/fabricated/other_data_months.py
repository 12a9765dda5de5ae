# targets: q2
# expect: monthly_signups
# Monthly counts taken from the worked example's shop transactions: other data.
# %% q2
monthly_signups = shop["amount"].resample("MS").count()
