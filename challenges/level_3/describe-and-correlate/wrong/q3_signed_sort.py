# targets: q3
# expect: in its row labels
# %% q3
churn_corr = churn[features].corrwith(churn["churned"]).sort_values(ascending=False)
