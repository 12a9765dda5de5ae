# %% q1
expl = explain.shap_explanation(forest, X_test, class_index=0)

# %% q2
global_importance = pd.Series(
    np.abs(expl.values).mean(axis=0), index=expl.feature_names
).sort_values(ascending=False)

# %% q3
patient_values = pd.Series(expl[patient].values, index=expl.feature_names)
patient_contributions = patient_values.sort_values(key=np.abs, ascending=False).head(5)

# %% q4
logreg = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000))
logreg.fit(X_train, y_train)
coef_ranking = pd.Series(np.abs(logreg[-1].coef_[0]), index=X.columns).sort_values(ascending=False)
