# targets: q1
# expect: first differs at row 0, column `payment_method`
# %% q1
churn_rate = churn.groupby("payment_method")["churned"].sum().sort_values(ascending=False)
