# targets: q1, q2, q3
# The helper with every argument spelled out and the row as a numpy array; SHAP through
# shap.TreeExplainer and the churn column sliced out; the disagreements read from the table;
# the stable set narrowed seed by seed.
# %% q1
lime_weights = explain.lime_explanation(
    forest,
    X_train,
    X_test.iloc[customer].to_numpy(),
    num_features=5,
    random_state=0,
    class_index=1,
)

# %% q2
import shap

churn_class = list(forest.classes_).index(1)
expl = shap.TreeExplainer(forest)(X_test)[..., churn_class]
table = pd.DataFrame(explain.compare_local(expl[customer], lime_weights))
display(table)
disagreements = table.loc[table["disagreement"].notna(), "feature"].tolist()

# %% q3
stable_features = None
for seed in range(10):
    pairs = explain.lime_explanation(
        forest, X_train, X_test.iloc[customer], num_features=5, random_state=seed
    )
    names = {name for name, _weight in pairs}
    stable_features = names if stable_features is None else stable_features & names
