# targets: q4
# expect: not shuffled
# %% q4
cv_results = cross_validate(
    LinearRegression(), X_train, y_train, cv=5, scoring=["r2", "neg_mean_absolute_error"]
)
cv_r2_mean = cv_results["test_r2"].mean()
cv_r2_std = cv_results["test_r2"].std()
cv_mae_mean = -cv_results["test_neg_mean_absolute_error"].mean()
