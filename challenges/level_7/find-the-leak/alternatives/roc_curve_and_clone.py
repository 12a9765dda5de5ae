# targets: q1, q2, q3, q4
# The AUC as the area under roc_curve, the ranking with pandas on the helper's explanation,
# recall read from classification_report, and the honest forest cloned from the leaky one.
# %% q1
from sklearn.metrics import auc, roc_curve

leaky_model = RandomForestClassifier(n_estimators=100, max_depth=6, random_state=0, n_jobs=1)
leaky_model.fit(X_train, y_train)
false_positive_rate, true_positive_rate, _ = roc_curve(
    y_test, leaky_model.predict_proba(X_test)[:, 1]
)
leaky_auc = auc(false_positive_rate, true_positive_rate)

# %% q2
leak_expl = explain.shap_explanation(leaky_model, X_test, class_index=1)
importance = pd.DataFrame(leak_expl.values, columns=leak_expl.feature_names).abs().mean()
suspect = importance.idxmax()
suspect_share = float(importance.max() / importance.sum())

# %% q3
from sklearn.metrics import classification_report

live = X_test.assign(**{"days_since_cancellation_request": float("nan")})
report = classification_report(y_test, leaky_model.predict(live), output_dict=True)
deployed_recall = report["1"]["recall"]

# %% q4
from sklearn.base import clone
from sklearn.metrics import auc, roc_curve

honest_columns = [c for c in X_train.columns if c != "days_since_cancellation_request"]
honest_model = clone(leaky_model).fit(X_train[honest_columns], y_train)
fpr, tpr, _ = roc_curve(y_test, honest_model.predict_proba(X_test[honest_columns])[:, 1])
honest_auc = auc(fpr, tpr)
