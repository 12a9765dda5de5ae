# targets: q1
# expect: days_since_cancellation_request
# %% q1
X = churn.drop(columns=["customer_id", "churned"]).select_dtypes("number")
y = churn["churned"]
