# targets: q1
# expect: identifier
# %% q1
X = churn.drop(columns=["churned", "days_since_cancellation_request"]).select_dtypes("number")
y = churn["churned"]
