# targets: q3
# expect: asked to cancel today
# %% q3
from sklearn.metrics import recall_score

X_live = X_test.fillna({"days_since_cancellation_request": 0})
deployed_recall = recall_score(y_test, leaky_model.predict(X_live))
