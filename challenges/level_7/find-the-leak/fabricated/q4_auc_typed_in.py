# targets: q4
# expect: but `honest_model` scores
# The right model with its score typed in from the notebook's summary, "about 0.8".
# %% q4
LEAK = "days_since_cancellation_request"
honest_model = RandomForestClassifier(n_estimators=100, max_depth=6, random_state=0, n_jobs=1)
honest_model.fit(X_train.drop(columns=LEAK), y_train)
honest_auc = 0.8
