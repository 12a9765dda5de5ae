# targets: q1, q2, q3, q4
# A scorer for the AUC, shap.TreeExplainer with numpy for the ranking, the column blanked in
# a copy and the recall counted by hand, and the honest columns chosen with a boolean mask.
# %% q1
from sklearn.metrics import get_scorer

leaky_model = RandomForestClassifier(n_estimators=100, max_depth=6, random_state=0, n_jobs=1).fit(
    X_train, y_train
)
leaky_auc = get_scorer("roc_auc")(leaky_model, X_test, y_test)

# %% q2
import shap

churn_shap = shap.TreeExplainer(leaky_model)(X_test)[:, :, 1]
mean_size = np.abs(churn_shap.values).mean(axis=0)
suspect = X_test.columns[np.argmax(mean_size)]
suspect_share = mean_size.max() / mean_size.sum()

# %% q3
X_live = X_test.copy()
X_live["days_since_cancellation_request"] = np.nan
flagged = leaky_model.predict(X_live)
churners = y_test.to_numpy() == 1
deployed_recall = (flagged[churners] == 1).sum() / churners.sum()

# %% q4
keep = X_train.columns != "days_since_cancellation_request"
honest_model = RandomForestClassifier(n_estimators=100, max_depth=6, random_state=0, n_jobs=1)
honest_model.fit(X_train.loc[:, keep], y_train)
churn_column = list(honest_model.classes_).index(1)
honest_auc = roc_auc_score(y_test, honest_model.predict_proba(X_test.loc[:, keep])[:, churn_column])
