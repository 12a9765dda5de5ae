# %% q1
model = LinearRegression().fit(X_train, y_train)
y_pred = model.predict(X_test)
mae = mean_absolute_error(y_test, y_pred)
rmse = root_mean_squared_error(y_test, y_pred)
r2 = r2_score(y_test, y_pred)

# %% q2
y_pred = model.predict(X_test)
residuals = y_test - y_pred
residual_spread = residuals.groupby(pd.qcut(y_pred, 3, labels=["low", "mid", "high"])).std()
residual_spread

# %% q3
residuals_figure = diagnostics.residuals_plot(model, X_train, y_train, X_test, y_test)
# The legend reads "Train R² = ..."; the same number, rounded as shown:
train_r2_shown = round(model.score(X_train, y_train), 3)
test_r2_shown = round(model.score(X_test, y_test), 3)
residuals_figure

# %% q4
cv_results = cross_validate(
    LinearRegression(),
    X_train,
    y_train,
    cv=KFold(n_splits=5, shuffle=True, random_state=0),
    scoring=["r2", "neg_mean_absolute_error"],
)
cv_r2_mean = cv_results["test_r2"].mean()
cv_r2_std = cv_results["test_r2"].std()
cv_mae_mean = -cv_results["test_neg_mean_absolute_error"].mean()
