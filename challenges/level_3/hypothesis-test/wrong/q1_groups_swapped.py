# targets: q1
# expect: logins_churned
# %% q1
logins_churned = churn.loc[churn["churned"] == 0, "avg_weekly_logins"]
logins_stayed = churn.loc[churn["churned"] == 1, "avg_weekly_logins"]
