# targets: q1
# The groups as sorted values with fresh labels 0, 1, 2, …: the task names no order and no
# labels, and the tests below only look at the values.
# %% q1
logins_churned = (
    churn.loc[churn["churned"] == 1, "avg_weekly_logins"].sort_values().reset_index(drop=True)
)
logins_stayed = (
    churn.loc[churn["churned"] == 0, "avg_weekly_logins"].sort_values().reset_index(drop=True)
)
