# targets: q3
# expect: 9 rows; expected 8
# %% q3
numeric = churn.select_dtypes("number").drop(columns=["churned", "days_since_cancellation_request"])
churn_corr = numeric.corrwith(churn["churned"]).sort_values(key=abs, ascending=False)
