# targets: q1
# expect: copied from a printout
# LIME's answer typed in from a printed table, to three decimals.
# %% q1
shown = explain.lime_explanation(
    forest, X_train, X_test.iloc[customer], num_features=5, random_state=0
)
lime_weights = [(name, round(weight, 3)) for name, weight in shown]
