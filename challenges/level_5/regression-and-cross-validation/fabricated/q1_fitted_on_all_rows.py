# targets: q1
# expect: fitted on all
# The model fitted on every patient, test rows included; its test scores look better.
# %% q1
model = LinearRegression().fit(X, y)
y_pred = model.predict(X_test)
mae = mean_absolute_error(y_test, y_pred)
rmse = root_mean_squared_error(y_test, y_pred)
r2 = r2_score(y_test, y_pred)
