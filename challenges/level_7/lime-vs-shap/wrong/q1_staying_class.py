# targets: q1
# expect: class 1
# %% q1
lime_weights = explain.lime_explanation(
    forest, X_train, X_test.iloc[customer], class_index=0, num_features=5, random_state=0
)
