# targets: q3
# expect: row 0
# %% q3
churn_corr = churn[features].corrwith(churn["churned"]).sort_values(ascending=False)
