# targets: q1
# expect: column `churned`
# %% q1
churn_rate = churn.groupby("payment_method")["churned"].mean().sort_values(ascending=False)
