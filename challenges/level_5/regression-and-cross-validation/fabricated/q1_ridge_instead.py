# targets: q1
# expect: LinearRegression()
# Another regressor than the one the task asks for.
# %% q1
from sklearn.linear_model import Ridge

model = Ridge(alpha=0.01).fit(X_train, y_train)
y_pred = model.predict(X_test)
mae = mean_absolute_error(y_test, y_pred)
rmse = root_mean_squared_error(y_test, y_pred)
r2 = r2_score(y_test, y_pred)
