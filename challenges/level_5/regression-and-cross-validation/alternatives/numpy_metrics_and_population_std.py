# targets: q1, q2, q3, q4
# Metrics computed with numpy; R² from model.score; thirds from quantile edges; the training
# R² rounded from model.score; fold statistics with numpy.
# %% q1
model = LinearRegression()
model.fit(X_train, y_train)
pred = model.predict(X_test)
mae = np.mean(np.abs(y_test - pred))
rmse = np.sqrt(np.mean((y_test - pred) ** 2))
r2 = model.score(X_test, y_test)

# %% q2
pred = pd.Series(model.predict(X_test), index=X_test.index)
residuals = y_test - pred
thirds = pd.qcut(pred, q=[0, 1 / 3, 2 / 3, 1], labels=["low", "mid", "high"])
residual_spread = residuals.groupby(thirds, observed=True).std()

# %% q3
residuals_figure = diagnostics.residuals_plot(model, X_train, y_train, X_test, y_test)
train_r2_shown = round(model.score(X_train, y_train), 3)
test_r2_shown = round(model.score(X_test, y_test), 3)

# %% q4
cv = cross_validate(
    LinearRegression(),
    X_train,
    y_train,
    cv=KFold(5, shuffle=True, random_state=0),
    scoring=("r2", "neg_mean_absolute_error"),
)
cv_r2_mean = np.mean(cv["test_r2"])
cv_r2_std = np.std(cv["test_r2"])
cv_mae_mean = abs(np.mean(cv["test_neg_mean_absolute_error"]))
