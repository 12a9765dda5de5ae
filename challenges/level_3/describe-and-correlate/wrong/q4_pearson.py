# targets: q4
# expect: too high
# %% q4
logins_recency_rho = churn["avg_weekly_logins"].corr(churn["days_since_last_login"])
