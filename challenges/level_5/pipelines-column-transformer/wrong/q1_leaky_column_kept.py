# targets: q1
# expect: days_since_cancellation_request
# %% q1
numeric_features = [c for c in X.select_dtypes("number").columns if c != "customer_id"]
categorical_features = list(X.select_dtypes(exclude="number").columns)
