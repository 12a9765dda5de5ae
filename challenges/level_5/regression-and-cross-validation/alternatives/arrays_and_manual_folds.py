# targets: q1, q2, q3, q4
# The model fitted on NumPy arrays; RMSE as the root of the MSE; the spread built group by
# group; the folds scored in a loop, their spread as a sample standard deviation.
# %% q1
from sklearn.metrics import mean_squared_error

model = LinearRegression().fit(X_train.to_numpy(), y_train.to_numpy())
y_pred = model.predict(X_test.to_numpy())
mae = mean_absolute_error(y_test, y_pred)
rmse = mean_squared_error(y_test, y_pred) ** 0.5
r2 = r2_score(y_test, y_pred)

# %% q2
y_pred = model.predict(X_test.to_numpy())
residuals = pd.Series(y_test.to_numpy() - y_pred, index=y_test.index, name="residual")
third = pd.qcut(y_pred, 3, labels=["low", "mid", "high"])
residual_spread = pd.Series(
    {label: residuals[np.asarray(third == label)].std() for label in ["low", "mid", "high"]}
)

# %% q3
residuals_figure = diagnostics.residuals_plot(model, X_train, y_train, X_test, y_test)
train_r2_shown = float(f"{r2_score(y_train, model.predict(X_train.to_numpy())):.3f}")
test_r2_shown = float(f"{r2_score(y_test, model.predict(X_test.to_numpy())):.3f}")

# %% q4
r2_per_fold, mae_per_fold = [], []
for fit_rows, score_rows in KFold(n_splits=5, shuffle=True, random_state=0).split(X_train):
    fold_model = LinearRegression().fit(X_train.iloc[fit_rows], y_train.iloc[fit_rows])
    fold_pred = fold_model.predict(X_train.iloc[score_rows])
    r2_per_fold.append(r2_score(y_train.iloc[score_rows], fold_pred))
    mae_per_fold.append(mean_absolute_error(y_train.iloc[score_rows], fold_pred))
cv_r2_mean = float(np.mean(r2_per_fold))
cv_r2_std = float(pd.Series(r2_per_fold).std())
cv_mae_mean = float(np.mean(mae_per_fold))
