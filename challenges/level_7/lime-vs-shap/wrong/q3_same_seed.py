# targets: q3
# expect: random_state=seed
# %% q3
runs = [
    explain.lime_explanation(forest, X_train, X_test.iloc[customer], num_features=5, random_state=0)
    for seed in range(10)
]
stable_features = set.intersection(*({name for name, _ in run} for run in runs))
