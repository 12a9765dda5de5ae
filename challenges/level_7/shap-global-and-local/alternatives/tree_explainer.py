# targets: q1, q2, q3, q4
# shap's own TreeExplainer (one explanation per class, the malignant one picked by slicing),
# the ranking through shap's `.abs.mean(0)`, the patient's top five picked by an index of
# absolute values, and a named Pipeline read through `named_steps`.
# %% q1
import shap

tree_explainer = shap.TreeExplainer(forest)
both_classes = tree_explainer(X_test)
malignant = list(forest.classes_).index(0)
expl = both_classes[:, :, malignant]

# %% q2
mean_size = expl.abs.mean(0)
global_importance = pd.Series(mean_size.values, index=X_test.columns).sort_values(ascending=False)

# %% q3
row_values = pd.Series(expl.values[patient], index=X_test.columns)
top_five = row_values.abs().sort_values(ascending=False).index[:5]
patient_contributions = row_values[top_five]

# %% q4
from sklearn.pipeline import Pipeline

logreg = Pipeline([("scale", StandardScaler()), ("model", LogisticRegression(max_iter=5000))]).fit(
    X_train, y_train
)
coef_ranking = (
    pd.Series(logreg.named_steps["model"].coef_.ravel(), index=logreg.feature_names_in_)
    .abs()
    .sort_values(ascending=False)
)
