# targets: q1
# expect: does not hold the SHAP values
# An "explanation" made by hand: the forest's impurity importances spread over every row, signed
# by whether the row's value is above the training mean, wrapped in a shap.Explanation.
# %% q1
import shap

signs = np.where(X_test > X_train.mean(), 1.0, -1.0)
made_up = signs * forest.feature_importances_
expl = shap.Explanation(
    values=made_up,
    base_values=np.full(len(X_test), 1 - y_train.mean()),
    data=X_test.to_numpy(),
    feature_names=list(X_test.columns),
)
