# %% q1
leaky_model = RandomForestClassifier(n_estimators=100, max_depth=6, random_state=0, n_jobs=1)
leaky_model.fit(X_train, y_train)
leaky_auc = roc_auc_score(y_test, leaky_model.predict_proba(X_test)[:, 1])

# %% q2
leaky_expl = explain.shap_explanation(leaky_model, X_test)
leaky_importance = pd.Series(
    np.abs(leaky_expl.values).mean(axis=0), index=leaky_expl.feature_names
).sort_values(ascending=False)
suspect = leaky_importance.index[0]
suspect_share = leaky_importance.iloc[0] / leaky_importance.sum()

# %% q3
from sklearn.metrics import recall_score

X_live = X_test.assign(days_since_cancellation_request=np.nan)
deployed_recall = recall_score(y_test, leaky_model.predict(X_live))

# %% q4
LEAK = "days_since_cancellation_request"
honest_model = RandomForestClassifier(n_estimators=100, max_depth=6, random_state=0, n_jobs=1)
honest_model.fit(X_train.drop(columns=LEAK), y_train)
honest_auc = roc_auc_score(y_test, honest_model.predict_proba(X_test.drop(columns=LEAK))[:, 1])
