# %% q1
lime_weights = explain.lime_explanation(
    forest, X_train, X_test.iloc[customer], num_features=5, random_state=0
)

# %% q2
expl = explain.shap_explanation(forest, X_test)
agreement = explain.compare_local(expl[customer], lime_weights)
disagreements = [row.feature for row in agreement if row.disagreement is not None]
with pd.option_context("display.max_colwidth", None):
    display(pd.DataFrame(agreement))

# %% q3
runs = [
    explain.lime_explanation(
        forest, X_train, X_test.iloc[customer], num_features=5, random_state=seed
    )
    for seed in range(10)
]
stable_features = set.intersection(*({name for name, _ in run} for run in runs))
