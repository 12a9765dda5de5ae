# targets: q1, q2, q3
# The lime package itself instead of the sandbox helper: a seeded LimeTabularExplainer, the
# plain names read from `as_map()`; SHAP values handed to compare_local as a mapping; the
# seeds' features intersected with functools.reduce.
# %% q1
from lime.lime_tabular import LimeTabularExplainer


def churn_probabilities(rows):
    return forest.predict_proba(pd.DataFrame(rows, columns=X_train.columns))


def lime_pairs(seed):
    explainer = LimeTabularExplainer(
        X_train.to_numpy(),
        feature_names=list(X_train.columns),
        mode="classification",
        random_state=seed,
    )
    found = explainer.explain_instance(
        X_test.iloc[customer].to_numpy(), churn_probabilities, labels=(1,), num_features=5
    )
    return [(X_train.columns[index], weight) for index, weight in found.as_map()[1]]


lime_weights = lime_pairs(0)

# %% q2
expl = explain.shap_explanation(forest, X_test, class_index=1)
customer_shap = dict(zip(expl.feature_names, expl.values[customer], strict=True))
agreement = explain.compare_local(customer_shap, dict(lime_weights))
disagreements = [row.feature for row in agreement if not row.agrees]

# %% q3
from functools import reduce

seed_features = [{name for name, _ in lime_pairs(seed)} for seed in range(10)]
stable_features = reduce(lambda kept, found: kept & found, seed_features)
