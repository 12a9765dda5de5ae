# targets: q1, q2, q3, q4
# Another valid SHAP explainer: the model-agnostic permutation explainer on the probability of
# malignant, with a sample of training rows as background (interventional SHAP values, not
# the tree explainer's); rankings computed with pandas from those values.
# %% q1
import shap


def p_malignant_of(rows):
    frame = pd.DataFrame(rows, columns=X_train.columns)
    return forest.predict_proba(frame)[:, list(forest.classes_).index(0)]


background = shap.maskers.Independent(X_train, max_samples=30)
permutation = shap.explainers.Permutation(p_malignant_of, background, seed=0)
expl = permutation(X_test, max_evals=200, silent=True)
expl.feature_names = list(X_test.columns)

# %% q2
global_importance = (
    pd.DataFrame(np.abs(expl.values), columns=expl.feature_names)
    .mean()
    .sort_values(ascending=False)
)

# %% q3
contributions = pd.Series(expl[patient].values, index=expl.feature_names)
order = np.argsort(-np.abs(contributions.to_numpy()), kind="stable")
patient_contributions = contributions.iloc[order[:5]]

# %% q4
logreg = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000))
logreg.fit(X_train, y_train)
coefficients = logreg.named_steps["logisticregression"].coef_[0]
coef_ranking = pd.Series(np.abs(coefficients), index=X_train.columns).sort_values(ascending=False)
